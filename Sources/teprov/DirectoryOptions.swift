import ArgumentParser
import TeprovCore

/// The SPEC §3 inputs and the config, shared by `plan` and `validate`.
struct DirectoryOptions: ParsableArguments {
    @Option(help: "Graph appRoleAssignedTo JSON or CSV principalId,principalType,appRoleId.")
    var assignments: String?

    @Option(help: "Graph servicePrincipal JSON with appRoles.")
    var appRoles: String?

    @Option(help: "Group members: CSV groupId,memberId[,memberType] or Graph JSON.")
    var groupMembers: String?

    @Option(help: "Export of soft-deleted users. Repeat for several files.")
    var deleted: [String] = []

    @Option(help: "Config file (YAML or JSON).")
    var config: String?

    @Option(help: "assigned or all; overrides the config's scope.")
    var scope: TeprovConfig.ScopeMode?

    @Flag(help: "Accept Graph $expand group listings of 20 or more members (Graph truncates them at 20).")
    var trustExpandedMembers = false

    var paths: DirectoryInputPaths {
        DirectoryInputPaths(
            assignments: assignments, appRoles: appRoles, groupMembers: groupMembers,
            trustExpandedMembers: trustExpandedMembers)
    }
}
