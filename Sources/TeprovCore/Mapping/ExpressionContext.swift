/// Everything an expression can read about one user.
public struct ExpressionContext: Sendable {
    /// The user's attributes as read from the export.
    public var record: SourceRecord
    /// The value of `[IsSoftDeleted]`: the computed flag "not in scope" (SPEC §4).
    public var isSoftDeleted: Bool
    /// The user's entitling app-role values, for `SingleAppRoleAssignment([appRoleAssignments])`;
    /// the first one is the one a single-role function returns.
    public var appRoleValues: [String]

    public init(record: SourceRecord, isSoftDeleted: Bool = false, appRoleValues: [String] = []) {
        self.record = record
        self.isSoftDeleted = isSoftDeleted
        self.appRoleValues = appRoleValues
    }
}
