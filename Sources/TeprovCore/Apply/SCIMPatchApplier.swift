/// Applies a SCIM PatchOp (RFC 7644 §3.5.2) to a user resource held as a `JSONValue`, as
/// scim2-server does:
///
/// - `add`, `replace`, `remove`, with the op name in any case (Entra writes `Replace`);
/// - paths `active`, `name.givenName`, `emails[type eq "work"].value`, `emails[type eq "work"]`,
///   enterprise attributes by URN, or no path with an object whose keys are paths;
/// - a complex value is merged sub-attribute by sub-attribute (those left out are kept); a
///   multi-valued attribute without a filter is replaced whole by `replace` and appended to by `add`;
/// - `"True"`/`"False"` become booleans; an entry made primary takes the flag from the others;
/// - a filter that selects nothing gives `noTarget` for `add` and `replace` and changes nothing for
///   `remove`; `remove` without a path gives `noTarget`; read-only attributes give `mutability`;
/// - all operations apply or none (the caller keeps the resource it passed in).
enum SCIMPatchApplier {
    enum Kind: String {
        case add, replace, remove
    }

    static let patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    /// The resource after every operation of `body`.
    /// - Throws: `OfflineSCIMError` (400) describing the first operation that cannot apply.
    static func apply(_ body: JSONValue, to resource: JSONValue) throws(OfflineSCIMError) -> JSONValue {
        guard case .object = body else {
            throw OfflineSCIMError.invalidSyntax("the request body must be a JSON object holding a PatchOp")
        }
        guard case .array(let operations)? = SCIMMembers.value("Operations", in: body) else {
            throw OfflineSCIMError.invalidValue("a PatchOp needs an \"Operations\" array")
        }
        var result = resource
        for operation in operations { try applyOperation(operation, to: &result) }
        return result
    }

    private static func applyOperation(_ operation: JSONValue, to resource: inout JSONValue) throws(OfflineSCIMError) {
        guard case .object(let members) = operation else {
            throw OfflineSCIMError.invalidSyntax("each PATCH operation must be a JSON object")
        }
        guard let opText = SCIMMembers.string("op", in: operation), let kind = Kind(rawValue: opText.lowercased())
        else {
            let shown = SCIMMembers.value("op", in: operation).map { $0.serialized(style: .compact) } ?? "nothing"
            throw OfflineSCIMError.invalidValue("\(shown) is not a PATCH operation")
        }
        let pathText: String?
        switch SCIMMembers.value("path", in: operation) {
        case nil, .null?: pathText = nil
        case .string(let text)? where text.isEmpty: pathText = nil
        case .string(let text)?: pathText = text
        default: throw OfflineSCIMError.invalidPath("the path of a PATCH operation must be a string")
        }
        let hasValue = SCIMMembers.index(of: "value", in: members) != nil
        let value = SCIMMembers.value("value", in: operation) ?? .null
        switch kind {
        case .remove where pathText == nil:
            throw OfflineSCIMError.noTarget("Remove operation requires a path")
        case .add where value == .null, .replace where !hasValue:
            throw OfflineSCIMError.invalidValue("value is required for \(kind.rawValue) operations")
        default:
            break
        }
        guard let pathText else {
            guard case .object(let entries) = value else {
                throw OfflineSCIMError.invalidValue("the value of an operation without a path must be an object")
            }
            for (key, item) in entries where key.lowercased() != "schemas" {
                guard let names = SCIMResourcePath.names(of: key) else {
                    throw OfflineSCIMError.invalidPath("'\(key)' is not an attribute path")
                }
                let path = SCIMResourcePath(
                    segments: names.map { SCIMResourcePath.Segment(name: $0, filter: nil) }, text: key)
                try checkWritable(path, in: resource)
                try write(kind, item, at: path.segments[...], context: [], into: &resource)
            }
            return
        }
        var parser = SCIMFilterParser(pathText)
        let path = try parser.parsePatchPath()
        try checkWritable(path, in: resource)
        if kind == .remove {
            try remove(at: path.segments[...], context: [], from: &resource)
        } else {
            try write(kind, value, at: path.segments[...], context: [], into: &resource)
        }
    }

    /// Refuses paths that name read-only attributes, or attributes neither the schema nor the
    /// resource knows (extensions by URN are accepted).
    private static func checkWritable(_ path: SCIMResourcePath, in resource: JSONValue) throws(OfflineSCIMError) {
        let names = path.names
        guard let first = names.first else { throw OfflineSCIMError.invalidPath("the path is empty") }
        guard let attribute = SCIMUserSchema.attribute(named: first) else {
            if first.lowercased().hasPrefix("urn:") || SCIMMembers.value(first, in: resource) != nil { return }
            throw OfflineSCIMError.invalidPath("'\(path.text)' is not an attribute of the schema")
        }
        if attribute.readOnly { throw OfflineSCIMError.mutability("'\(path.text)' is read-only") }
        var parent = attribute
        for name in names.dropFirst() {
            guard let sub = parent.subAttribute(named: name) else {
                throw OfflineSCIMError.invalidPath("'\(path.text)' is not an attribute of the schema")
            }
            parent = sub
        }
    }

    // MARK: add and replace

    /// Writes `value` at `segments` below `node` (an object).
    private static func write(
        _ kind: Kind, _ value: JSONValue, at segments: ArraySlice<SCIMResourcePath.Segment>, context: [String],
        into node: inout JSONValue
    ) throws(OfflineSCIMError) {
        guard let segment = segments.first else { return }
        var members = SCIMMembers.members(of: node)
        let names = context + [segment.name]
        let attribute = SCIMUserSchema.attribute(at: names)
        if segments.count == 1 && segment.filter == nil {
            try writeMember(kind, value, name: segment.name, attribute: attribute, context: context, into: &members)
            node = .object(members)
            return
        }
        let existing = SCIMMembers.value(segment.name, in: node)
        if let filter = segment.filter {
            guard case .array(var entries)? = existing else { throw noTarget(segment.name) }
            let old = entries
            let selected = entries.indices.filter { filter.matches(entries[$0], context: names) }
            guard !selected.isEmpty else { throw noTarget(segment.name) }
            for index in selected {
                if segments.count == 1 {
                    guard case .object(let fields) = value else {
                        throw OfflineSCIMError.invalidValue(
                            "the value written to '\(segment.name)[...]' must be an object")
                    }
                    var entryMembers = SCIMMembers.members(of: entries[index])
                    for (key, item) in fields {
                        let sub = attribute?.subAttribute(named: key)
                        try writeMember(
                            kind, item, name: sub?.name ?? key, attribute: sub, context: names, into: &entryMembers)
                    }
                    entries[index] = .object(entryMembers)
                } else {
                    try write(kind, value, at: segments.dropFirst(), context: names, into: &entries[index])
                }
            }
            try settle(&entries, old: old, attribute: attribute, in: &members, name: segment.name)
        } else {
            switch existing {
            case .array(var entries)?:
                guard !entries.isEmpty else { throw noTarget(segment.name) }
                let old = entries
                for index in entries.indices {
                    try write(kind, value, at: segments.dropFirst(), context: names, into: &entries[index])
                }
                try settle(&entries, old: old, attribute: attribute, in: &members, name: segment.name)
            case .object?, nil:
                if existing == nil && attribute?.multiValued == true { throw noTarget(segment.name) }
                var child = existing ?? .object([])
                try write(kind, value, at: segments.dropFirst(), context: names, into: &child)
                setOrRemove(segment.name, child, in: &members)
            case .some:
                throw OfflineSCIMError.invalidPath("'\(segment.name)' has no sub-attributes")
            }
        }
        node = .object(members)
    }

    /// Writes `value` as the member `name` of an object's `members`.
    private static func writeMember(
        _ kind: Kind, _ value: JSONValue, name: String, attribute: SCIMUserSchema.Attribute?, context: [String],
        into members: inout [(String, JSONValue)]
    ) throws(OfflineSCIMError) {
        if attribute?.readOnly == true { throw OfflineSCIMError.mutability("'\(name)' is read-only") }
        let existing = SCIMMembers.value(name, in: .object(members))
        guard let attribute else {
            if value == .null {
                SCIMMembers.remove(name, from: &members)
            } else {
                SCIMMembers.set(name, value, in: &members)
            }
            return
        }
        if attribute.multiValued {
            guard case .array(var entries)? = try SCIMValueCoercion.coerce(value, as: attribute) else {
                if kind == .replace { try unassign(name, attribute, from: &members) }
                return
            }
            var old: [JSONValue]?
            if kind == .add, case .array(let current)? = existing {
                old = current
                entries = current + entries.filter { new in !current.contains { sameEntry($0, new) } }
            }
            try SCIMValueCoercion.settlePrimary(&entries, old: old, attribute: attribute.name)
            SCIMMembers.set(name, .array(entries), in: &members)
        } else if attribute.kind == .complex {
            if value == .null { return try unassign(name, attribute, from: &members) }
            guard case .object(let fields) = value else {
                throw OfflineSCIMError.invalidValue("the value written to '\(name)' must be an object")
            }
            var child = SCIMMembers.members(of: existing ?? .object([]))
            for (key, item) in fields {
                let sub = attribute.subAttribute(named: key)
                try writeMember(
                    kind, item, name: sub?.name ?? key, attribute: sub, context: context + [name], into: &child)
            }
            setOrRemove(name, .object(child), in: &members)
        } else {
            guard let stored = try SCIMValueCoercion.coerce(value, as: attribute) else {
                return try unassign(name, attribute, from: &members)
            }
            if attribute.required, case .string(let text) = stored, text.isEmpty {
                throw OfflineSCIMError.invalidValue("'\(name)' is required and cannot be empty")
            }
            SCIMMembers.set(name, stored, in: &members)
        }
    }

    private static func unassign(
        _ name: String, _ attribute: SCIMUserSchema.Attribute, from members: inout [(String, JSONValue)]
    ) throws(OfflineSCIMError) {
        if attribute.required { throw OfflineSCIMError.mutability("required attribute cannot be unassigned") }
        SCIMMembers.remove(name, from: &members)
    }

    // MARK: remove

    /// Removes what `segments` select below `node` (an object); nothing selected changes nothing.
    private static func remove(
        at segments: ArraySlice<SCIMResourcePath.Segment>, context: [String], from node: inout JSONValue
    ) throws(OfflineSCIMError) {
        guard let segment = segments.first else { return }
        var members = SCIMMembers.members(of: node)
        let names = context + [segment.name]
        let attribute = SCIMUserSchema.attribute(at: names)
        guard let existing = SCIMMembers.value(segment.name, in: node) else { return }
        if segments.count == 1 && segment.filter == nil {
            if attribute?.required == true { throw OfflineSCIMError.mutability("required attribute cannot be removed") }
            SCIMMembers.remove(segment.name, from: &members)
        } else if case .array(var entries) = existing {
            let selected = entries.indices.filter { segment.filter?.matches(entries[$0], context: names) ?? true }
            for index in selected.reversed() {
                if segments.count == 1 {
                    entries.remove(at: index)
                } else {
                    try remove(at: segments.dropFirst(), context: names, from: &entries[index])
                    if entries[index] == .object([]) { entries.remove(at: index) }
                }
            }
            setOrRemove(segment.name, .array(entries), in: &members)
        } else if segment.filter == nil {
            var child = existing
            try remove(at: segments.dropFirst(), context: names, from: &child)
            setOrRemove(segment.name, child, in: &members)
        }
        node = .object(members)
    }

    // MARK: Helpers

    private static func settle(
        _ entries: inout [JSONValue], old: [JSONValue], attribute: SCIMUserSchema.Attribute?,
        in members: inout [(String, JSONValue)], name: String
    ) throws(OfflineSCIMError) {
        if attribute?.hasPrimary == true {
            try SCIMValueCoercion.settlePrimary(&entries, old: old, attribute: attribute?.name ?? name)
        }
        setOrRemove(name, .array(entries), in: &members)
    }

    /// Sets the member, or removes it when the value is an empty object or array.
    private static func setOrRemove(_ name: String, _ value: JSONValue, in members: inout [(String, JSONValue)]) {
        if value == .object([]) || value == .array([]) {
            SCIMMembers.remove(name, from: &members)
        } else {
            SCIMMembers.set(name, value, in: &members)
        }
    }

    /// Entries are the same when they hold the same members, in any order.
    private static func sameEntry(_ left: JSONValue, _ right: JSONValue) -> Bool {
        guard case .object(let a) = left, case .object(let b) = right else { return left == right }
        return a.count == b.count && a.allSatisfy { member in SCIMMembers.value(member.0, in: right) == member.1 }
    }

    private static func noTarget(_ attribute: String) -> OfflineSCIMError {
        .noTarget("no value of '\(attribute)' matches the path filter")
    }
}
