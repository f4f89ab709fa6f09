/// Loads the SPEC §3 inputs named on the command line into `DirectoryInputs`.
public struct DirectoryInputPaths: Sendable {
    public var assignments: String?
    public var appRoles: String?
    public var groupMembers: String?
    public var trustExpandedMembers = false

    public init(
        assignments: String? = nil, appRoles: String? = nil, groupMembers: String? = nil,
        trustExpandedMembers: Bool = false
    ) {
        self.assignments = assignments
        self.appRoles = appRoles
        self.groupMembers = groupMembers
        self.trustExpandedMembers = trustExpandedMembers
    }

    /// Reads every named file.
    public func load() throws -> DirectoryInputs {
        var inputs = DirectoryInputs()
        if let assignments {
            let (read, diagnostics) = try DirectoryInputReader.readAssignments(path: assignments)
            inputs.assignments = read
            inputs.diagnostics += diagnostics
        }
        if let appRoles { inputs.appRoles = try DirectoryInputReader.readAppRoles(path: appRoles) }
        if let groupMembers {
            inputs.groups = try DirectoryInputReader.readGroupMembers(
                path: groupMembers, trustExpandedMembers: trustExpandedMembers)
        }
        return inputs
    }
}
