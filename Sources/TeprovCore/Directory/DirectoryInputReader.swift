/// Reads the directory inputs of SPEC §3: `--assignments`, `--app-roles`, `--group-members`.
public enum DirectoryInputReader {
    static let principalIdKey: AttributeKey = "principalId"
    static let principalTypeKey: AttributeKey = "principalType"
    static let appRoleIdKey: AttributeKey = "appRoleId"
    static let principalDisplayNameKey: AttributeKey = "principalDisplayName"
    static let deletedDateTimeKey: AttributeKey = "deletedDateTime"

    /// Graph `appRoleAssignedTo` JSON (pages, arrays of pages, JSON Lines) or CSV
    /// `principalId,principalType,appRoleId[,principalDisplayName]`.
    /// - Returns: the assignments and the diagnostics of the read (invalid rows, unknown principal types).
    public static func readAssignments(path: String) throws -> ([AppRoleAssignment], [Diagnostic]) {
        var assignments: [AppRoleAssignment] = []
        let diagnostics = try readAssignments(path: path) { assignments.append($0) }
        return (assignments, diagnostics)
    }

    /// `readAssignments(path:)`, handing each assignment to `onAssignment` as it is read instead of keeping it.
    static func readAssignments(path: String, onAssignment: @escaping (AppRoleAssignment) -> Void) throws
        -> [Diagnostic]
    {
        var problems: [Diagnostic] = []
        let projection = AttributeProjection([
            principalIdKey, principalTypeKey, appRoleIdKey, principalDisplayNameKey, deletedDateTimeKey,
        ])
        let context = ReadContext(path: path, projection: projection) { record in
            let line = record.origin.line
            guard let principalId = record[principalIdKey]?.scalarText,
                let typeText = record[principalTypeKey]?.scalarText
            else {
                problems.append(
                    Diagnostic(
                        .error, file: path, line: line, "assignment without principalId or principalType; ignored"))
                return
            }
            guard
                let type = AppRoleAssignment.PrincipalType(rawValue: typeText)
                    ?? AppRoleAssignment.PrincipalType.allCases.first(where: {
                        $0.rawValue.lowercased() == typeText.lowercased()
                    })
            else {
                problems.append(
                    Diagnostic(
                        .error, file: path, line: line,
                        "principalType \"\(typeText)\" is not User, Group or ServicePrincipal; assignment ignored"))
                return
            }
            onAssignment(
                AppRoleAssignment(
                    principalId: principalId, principalType: type,
                    appRoleId: record[appRoleIdKey]?.scalarText ?? AppRoleAssignment.defaultAccessRoleId,
                    principalDisplayName: record[principalDisplayNameKey]?.scalarText,
                    deletedDateTime: record[deletedDateTimeKey]?.scalarText, file: path, line: line))
        }
        let summary = try ExportReader.read(path: path, context: context)
        return summary.diagnostics + problems
    }

    /// Graph servicePrincipal JSON with `appRoles[]` (also accepted: a Graph page holding one service principal,
    /// or a bare `appRoles` array).
    public static func readAppRoles(path: String) throws -> [AppRole] {
        let tokenizer = try JSONTokenizer(path: path)
        let document = try tokenizer.readValue()
        try tokenizer.expectEndOfInput()
        var rolesValue: JSONValue?
        switch document {
        case .object:
            rolesValue = member(document, "appRoles")
            if rolesValue == nil, case .array(let items)? = member(document, "value"), let first = items.first {
                rolesValue = member(first, "appRoles")
            }
        case .array:
            rolesValue = document
        default:
            break
        }
        guard case .array(let items)? = rolesValue else {
            throw TeprovError(
                .input, "has no appRoles list; export the service principal with $select=appRoles", file: path)
        }
        return try items.enumerated().map { index, item in
            guard case .string(let id)? = member(item, "id") else {
                throw TeprovError(
                    .input, "app role #\(index + 1) has no id; re-export the service principal", file: path)
            }
            let enabled: Bool
            switch member(item, "isEnabled") {
            case .bool(let flag)?: enabled = flag
            case nil, .null?: enabled = true
            default:
                throw TeprovError(.input, "app role \(id) has an isEnabled that is not true or false", file: path)
            }
            return AppRole(
                id: id, value: stringMember(item, "value"), displayName: stringMember(item, "displayName"),
                isEnabled: enabled)
        }
    }

    /// Group listings: CSV `groupId,memberId[,memberType]`; `{"groups": [{"id", "displayName", "members": [...]}]}`;
    /// or Graph `/groups?$expand=members` (`value[]` of `{id, displayName, members[]}`).
    /// - Parameter trustExpandedMembers: accept `$expand` groups of 20 or more members (Graph truncates at 20).
    public static func readGroupMembers(path: String, trustExpandedMembers: Bool) throws -> [String: GroupListing] {
        let (family, _) = try ExportReader.sniff(path: path)
        if family == .csv { return try readGroupMembersCSV(path: path) }
        let tokenizer = try JSONTokenizer(path: path)
        let document = try tokenizer.readValue()
        try tokenizer.expectEndOfInput()
        var groups: [String: GroupListing] = [:]
        if case .array(let wrapped)? = member(document, "groups") {
            for item in wrapped { try addGroup(item, path: path, expanded: false, trust: true, into: &groups) }
        } else if case .array(let items)? = member(document, "value") {
            for item in items {
                try addGroup(item, path: path, expanded: true, trust: trustExpandedMembers, into: &groups)
            }
        } else {
            throw TeprovError(
                .input,
                "is neither {\"groups\": [...]} nor a Graph /groups?$expand=members page; see SPEC §3 for the forms",
                file: path)
        }
        return groups
    }

    private static func addGroup(
        _ item: JSONValue, path: String, expanded: Bool, trust: Bool, into groups: inout [String: GroupListing]
    ) throws {
        guard let id = stringMember(item, "id") else {
            throw TeprovError(.input, "lists a group without an id; re-export the groups", file: path)
        }
        let name = stringMember(item, "displayName")
        var members: [String] = []
        switch member(item, "members") {
        case .array(let entries)?:
            members = entries.compactMap { stringMember($0, "id") }
        case .object? where member(item, "members").flatMap({ member($0, "value") }) != nil:
            if case .array(let entries)? = member(item, "members").flatMap({ member($0, "value") }) {
                members = entries.compactMap { stringMember($0, "id") }
            }
            if member(item, "members").flatMap({ member($0, "@odata.nextLink") }) != nil {
                throw TeprovError(
                    .input, "group \(name ?? id) has a members page with @odata.nextLink; export every page",
                    file: path)
            }
        default:
            throw TeprovError(
                .input, "group \(name ?? id) has no members list; export its members (an empty list is [])", file: path)
        }
        if expanded, members.count >= 20, !trust {
            throw TeprovError(
                .input,
                "group \(name ?? id) has \(members.count) members from $expand, which Graph truncates at 20; export "
                    + "/groups/{id}/members instead, or pass --trust-expanded-members",
                file: path)
        }
        let key = id.lowercased()
        if var existing = groups[key] {
            existing.memberIds.append(contentsOf: members)
            groups[key] = existing
        } else {
            groups[key] = GroupListing(id: id, displayName: name, memberIds: members, file: path)
        }
    }

    private static func readGroupMembersCSV(path: String) throws -> [String: GroupListing] {
        var groups: [String: GroupListing] = [:]
        var missing: Int?
        let groupIdKey: AttributeKey = "groupId"
        let memberIdKey: AttributeKey = "memberId"
        let context = ReadContext(path: path, projection: AttributeProjection([groupIdKey, memberIdKey])) { record in
            guard let group = record[groupIdKey]?.scalarText, let member = record[memberIdKey]?.scalarText else {
                if missing == nil { missing = record.origin.line }
                return
            }
            let key = group.lowercased()
            if groups[key] == nil {
                groups[key] = GroupListing(id: group, displayName: nil, memberIds: [], file: path)
            }
            groups[key]?.memberIds.append(member)
        }
        let summary = try ExportReader.read(path: path, context: context)
        guard summary.attributeNames.contains(where: { AttributeKey($0) == groupIdKey }),
            summary.attributeNames.contains(where: { AttributeKey($0) == memberIdKey })
        else {
            throw TeprovError(.input, "needs the columns groupId and memberId; fix the header", file: path, line: 1)
        }
        if let missing {
            throw TeprovError(
                .input, "has a row without groupId or memberId; complete or remove it", file: path, line: missing)
        }
        if summary.invalid > 0, let first = summary.diagnostics.first(where: { $0.severity == .error }) {
            throw TeprovError(.input, first.message, file: path, line: first.line)
        }
        return groups
    }

    static func member(_ value: JSONValue, _ key: String) -> JSONValue? {
        guard case .object(let members) = value else { return nil }
        return members.first(where: { $0.0 == key })?.1
            ?? members.first(where: { $0.0.lowercased() == key.lowercased() })?.1
    }

    static func stringMember(_ value: JSONValue, _ key: String) -> String? {
        guard case .string(let text)? = member(value, key) else { return nil }
        return TextNormalization.normalize(text)
    }
}
