import Foundation

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

    /// `load()` followed by `EntitlementIndex(inputs:skipDefaultAccess:)` (when assignments are named), with the
    /// same results and the same first error, but folding each assignment into the index as it is read instead
    /// of keeping a million of them: the returned `inputs.assignments` is `nil`; `assignmentCount` says how
    /// many there were.
    func loadIndexed(skipDefaultAccess: Bool) throws -> (
        inputs: DirectoryInputs, assignmentCount: Int, entitlements: EntitlementIndex?
    ) {
        guard let assignments else { return (try load(), 0, nil) }
        // The index needs the roles and groups first; `load()` reads them after the assignments, so a failure
        // here must not be reported before the assignments' own errors: `load()` then reports in its order.
        let appRolesRead = Result { try appRoles.map { try DirectoryInputReader.readAppRoles(path: $0) } }
        let groupsRead = Result { () throws -> [String: GroupListing] in
            guard let groupMembers else { return [:] }
            return try DirectoryInputReader.readGroupMembers(
                path: groupMembers, trustExpandedMembers: trustExpandedMembers)
        }
        guard case .success(let roles) = appRolesRead, case .success(let groups) = groupsRead else {
            let inputs = try load()
            return (
                inputs, inputs.assignments?.count ?? 0,
                try EntitlementIndex(inputs: inputs, skipDefaultAccess: skipDefaultAccess)
            )
        }
        // Room for the users of a Graph page of this size (about 400 bytes per assignment), so that the key
        // table does not grow step by step.
        let size = (try? FileManager.default.attributesOfItem(atPath: assignments)[.size] as? Int) ?? 0
        let expectedUsers = min(size / 400, 50_000_000)
        func folding() -> AssignmentFolding {
            AssignmentFolding(
                EntitlementIndex.Builder(
                    appRoles: roles, groups: groups, skipDefaultAccess: skipDefaultAccess,
                    expectedUsers: expectedUsers),
                file: assignments)
        }
        var folded = folding()
        var diagnostics: [Diagnostic] = []
        // Graph's usual page first, quickly; anything else (or any problem) through the general reader.
        let fast = folded
        if (try? GraphAssignmentPageReader.readInBackground(path: assignments) { fast.add($0) }) != true {
            folded = folding()
            let general = folded
            diagnostics = try DirectoryInputReader.readAssignments(path: assignments) { general.add($0) }
        }
        let folding = folded
        // An index error (a group without members listing) comes after any error of the read, as it would.
        if let error = folding.firstError { throw error }
        let inputs = DirectoryInputs(assignments: nil, appRoles: roles, groups: groups, diagnostics: diagnostics)
        return (inputs, folding.count, EntitlementIndex(folding.builder))
    }
}

/// Assignments folded into an index while they are read; the first index error is kept until the read ends.
private final class AssignmentFolding {
    var builder: EntitlementIndex.Builder
    var count = 0
    var firstError: (any Error)?

    /// The assignments' file (for the compact assignments, which do not carry it).
    let file: String

    init(_ builder: EntitlementIndex.Builder, file: String) {
        self.builder = builder
        self.file = file
    }

    func add(_ assignment: AppRoleAssignment) {
        count += 1
        guard firstError == nil else { return }
        do { try builder.add(assignment) } catch { firstError = error }
    }

    func add(_ assignment: CompactAssignment) {
        count += 1
        guard firstError == nil else { return }
        do { try builder.add(assignment, file: file) } catch { firstError = error }
    }
}
