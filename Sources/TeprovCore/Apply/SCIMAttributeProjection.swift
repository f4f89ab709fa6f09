/// The `attributes` / `excludedAttributes` query parameters (RFC 7644 §3.4.2.5): which members of
/// a resource an answer carries. `schemas` and `id` are always returned.
struct SCIMAttributeProjection {
    private var included: [[String]]?
    private var excluded: [[String]] = []

    /// The projection the query asks for, or `nil` when it names neither parameter.
    /// - Throws: `invalidValue` for a name that is not an attribute path.
    init?(query: [SCIMQueryItem]) throws(OfflineSCIMError) {
        var asked = false
        for item in query {
            switch item.name.lowercased() {
            case "attributes":
                asked = true
                included = (included ?? []) + (try Self.paths(item.value))
            case "excludedattributes":
                asked = true
                excluded += try Self.paths(item.value)
            default:
                break
            }
        }
        guard asked else { return nil }
    }

    private static func paths(_ text: String) throws(OfflineSCIMError) -> [[String]] {
        var paths: [[String]] = []
        for part in text.split(separator: ",") {
            let trimmed = part.trimmingWhitespace()
            guard !trimmed.isEmpty else { continue }
            guard let names = SCIMResourcePath.names(of: trimmed) else {
                throw OfflineSCIMError.invalidValue("'\(trimmed)' is not an attribute path")
            }
            paths.append(names)
        }
        return paths
    }

    /// `resource` with only the members asked for.
    func apply(to resource: JSONValue) -> JSONValue {
        var value = resource
        if let included { value = Self.keeping(included, in: value, top: true) }
        for path in excluded { value = Self.removing(path[...], from: value) }
        return value
    }

    /// Keeps the members the paths name (a path `name.givenName` keeps that sub-attribute of `name`).
    private static func keeping(_ paths: [[String]], in value: JSONValue, top: Bool) -> JSONValue {
        switch value {
        case .array(let entries):
            return .array(entries.map { keeping(paths, in: $0, top: false) })
        case .object(let members):
            var kept: [(String, JSONValue)] = []
            for (name, member) in members {
                let lowered = name.lowercased()
                if top && (lowered == "schemas" || lowered == "id") {
                    kept.append((name, member))
                    continue
                }
                let matching = paths.filter { $0.first?.lowercased() == lowered }
                if matching.isEmpty { continue }
                if matching.contains(where: { $0.count == 1 }) {
                    kept.append((name, member))
                } else {
                    kept.append((name, keeping(matching.map { Array($0.dropFirst()) }, in: member, top: false)))
                }
            }
            return .object(kept)
        default:
            return value
        }
    }

    private static func removing(_ path: ArraySlice<String>, from value: JSONValue) -> JSONValue {
        guard let first = path.first else { return value }
        switch value {
        case .array(let entries):
            return .array(entries.map { removing(path, from: $0) })
        case .object(var members):
            guard let index = SCIMMembers.index(of: first, in: members) else { return value }
            if path.count == 1 {
                let lowered = first.lowercased()
                if lowered != "schemas" && lowered != "id" { members.remove(at: index) }
            } else {
                members[index].1 = removing(path.dropFirst(), from: members[index].1)
            }
            return .object(members)
        default:
            return value
        }
    }
}
