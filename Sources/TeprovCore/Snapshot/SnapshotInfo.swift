/// What a snapshot file is and says about itself (SPEC §6 "Snapshot", §9).
public struct SnapshotInfo: Sendable, Hashable {
    /// `teprov-snapshot`, `scim-list-response`, `scim-pages`, `scim-users` or `thousandeyes-v7`.
    public var format: String
    /// The SCIM base URL the snapshot was captured from (teprov snapshots only).
    public var source: String?
    /// When the snapshot was captured (teprov snapshots only), as written.
    public var capturedAt: String?
    /// `false` when the file misses users (only read with `allowIncomplete`): the plan must then
    /// neither disable nor delete.
    public var complete: Bool
    /// The `totalResults` the file declares (the largest over ListResponse pages), if any.
    public var totalResults: Int?
    /// Number of users read.
    public var users: Int

    public static let teprovSnapshot = "teprov-snapshot"
    public static let scimListResponse = "scim-list-response"
    public static let scimPages = "scim-pages"
    public static let scimUsers = "scim-users"
    public static let thousandEyesV7 = "thousandeyes-v7"

    public init(
        format: String, source: String? = nil, capturedAt: String? = nil, complete: Bool, totalResults: Int? = nil,
        users: Int
    ) {
        self.format = format
        self.source = source
        self.capturedAt = capturedAt
        self.complete = complete
        self.totalResults = totalResults
        self.users = users
    }
}
