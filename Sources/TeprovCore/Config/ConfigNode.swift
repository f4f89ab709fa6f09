import Yams

/// A node of a YAML/JSON config document with the key path that leads to it, so every config error
/// names the key (`safety.deletionThreshold`) and the line it is on.
struct ConfigNode {
    let node: Node
    /// Dotted key path with `[i]` for sequence items, e.g. `scopingFilters[0][1].operator`.
    let path: String
    let file: String

    var line: Int? { node.mark?.line }

    /// A config error about this node.
    func error(_ message: String) -> TeprovError {
        TeprovError(.config, "\(path.isEmpty ? "the config" : path): \(message)", file: file, line: line)
    }

    /// The members of a mapping; any key outside `allowedKeys` is an error naming it.
    func mapping(allowedKeys: [String]) throws -> [String: ConfigNode] {
        guard case .mapping(let mapping) = node else {
            throw error("must be a mapping of keys to values, found \(kindDescription)")
        }
        var members: [String: ConfigNode] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else {
                throw error("has a key that is not text")
            }
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            guard allowedKeys.contains(key) else {
                let suggestion = ConfigNode.closest(to: key, in: allowedKeys).map { " (did you mean \($0)?)" } ?? ""
                throw TeprovError(
                    .config,
                    "\(childPath): unknown key\(suggestion); allowed here: \(allowedKeys.joined(separator: ", "))",
                    file: file, line: keyNode.mark?.line)
            }
            members[key] = ConfigNode(node: valueNode, path: childPath, file: file)
        }
        return members
    }

    /// The items of a sequence.
    func sequence() throws -> [ConfigNode] {
        guard case .sequence(let sequence) = node else {
            throw error("must be a list, found \(kindDescription)")
        }
        return sequence.enumerated().map { index, item in
            ConfigNode(node: item, path: "\(path)[\(index)]", file: file)
        }
    }

    /// `true` for an explicit YAML null (`~`, `null`, or nothing after the colon).
    var isNull: Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw error("must be text, found \(kindDescription)") }
        return scalar.string
    }

    func bool() throws -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain,
            let value = BooleanText.parse(scalar.string)
        else {
            throw error("must be true or false")
        }
        return value
    }

    func int() throws -> Int {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string) else {
            throw error("must be a whole number")
        }
        return value
    }

    func number() throws -> Double {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Double(scalar.string),
            value.isFinite
        else {
            throw error("must be a number")
        }
        return value
    }

    /// A value of a string enum; the error lists the allowed values.
    func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws -> T where T.RawValue == String {
        let text = try string()
        if let value = T(rawValue: text) { return value }
        let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
        throw error("\"\(text)\" is not allowed; use one of \(allowed)")
    }

    func strings() throws -> [String] {
        if isNull { return [] }
        return try sequence().map { try $0.string() }
    }

    private var kindDescription: String {
        switch node {
        case .scalar(let scalar): return "the value \"\(scalar.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// The allowed key nearest to a misspelt one (case-insensitive match or edit distance ≤ 3).
    static func closest(to key: String, in candidates: [String]) -> String? {
        if let exact = candidates.first(where: { $0.lowercased() == key.lowercased() }) { return exact }
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(Array(key.lowercased()), Array(candidate.lowercased()))
            if distance <= 3, distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        return best?.0
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
