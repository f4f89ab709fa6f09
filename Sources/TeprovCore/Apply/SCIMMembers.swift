/// Member access on SCIM resources held as `JSONValue` objects: attribute names ignore case
/// (RFC 7643 §2.1), and a member keeps the spelling it was first written with.
enum SCIMMembers {
    /// Index of the member called `name` (ignoring case) in `members`.
    static func index(of name: String, in members: [(String, JSONValue)]) -> Int? {
        if let exact = members.firstIndex(where: { $0.0 == name }) { return exact }
        let lowered = name.lowercased()
        return members.firstIndex { $0.0.lowercased() == lowered }
    }

    /// The value of the member called `name` when `object` is an object.
    static func value(_ name: String, in object: JSONValue) -> JSONValue? {
        guard case .object(let members) = object, let index = index(of: name, in: members) else { return nil }
        return members[index].1
    }

    /// The string value of the member called `name`.
    static func string(_ name: String, in object: JSONValue) -> String? {
        guard case .string(let text)? = value(name, in: object) else { return nil }
        return text
    }

    /// Sets the member called `name`, keeping its place and spelling when present, else appending it.
    static func set(_ name: String, _ value: JSONValue, in members: inout [(String, JSONValue)]) {
        if let index = index(of: name, in: members) {
            members[index].1 = value
        } else {
            members.append((name, value))
        }
    }

    /// Removes the member called `name`; `true` when there was one.
    @discardableResult
    static func remove(_ name: String, from members: inout [(String, JSONValue)]) -> Bool {
        guard let index = index(of: name, in: members) else { return false }
        members.remove(at: index)
        return true
    }

    /// The members of `object`, or an empty list when it is not an object.
    static func members(of object: JSONValue) -> [(String, JSONValue)] {
        guard case .object(let members) = object else { return [] }
        return members
    }

    /// `true` when an entry of a multi-valued attribute says `"primary": true`.
    static func isPrimary(_ entry: JSONValue) -> Bool {
        value("primary", in: entry) == .bool(true)
    }
}
