/// What a snapshot file says about itself, gathered around its users while reading: the teprov
/// envelope (`formatVersion`, `complete`, ...), SCIM paging (`totalResults`), and the signs of a
/// ThousandEyes v7 `GET /users` export.
struct SnapshotEnvelope {
    var formatVersionLine: Int?
    var capturedAt: String?
    var source: String?
    /// `complete` and its line.
    var complete: (value: Bool, line: Int)?
    /// The top-level object's `totalResults` (teprov snapshot or single ListResponse).
    var declaredTotal: (count: Int64, line: Int)?
    /// The largest `totalResults` over the pages of an array of ListResponses.
    var largestPageTotal: (count: Int64, line: Int)?
    var pages = 0

    /// Line of the top-level `users` member.
    var usersArrayLine: Int?
    var sawResources = false
    var declaresListResponse = false
    var sawPagingMember = false
    var sawLinks = false
    /// Line of a top-level `id` or `userName`: the file is one user, not a list.
    var userMemberLine: Int?

    /// Users of the top-level `users` array that have a SCIM `id`, and the first one's line.
    var scimUsersInUsersArray = 0
    /// ThousandEyes v7 users read (only with `allowV7`), and the first one's line.
    var thousandEyesV7Users = 0
    var firstThousandEyesV7Line: Int?

    /// A page of an array of ListResponses ended.
    mutating func pageEnded(totalResults: (count: Int64, line: Int)?) {
        pages += 1
        if let total = totalResults, total.count > (largestPageTotal?.count ?? -1) { largestPageTotal = total }
    }

    /// `true` when the top-level object is a SCIM ListResponse.
    var isListResponse: Bool { sawResources || declaresListResponse || sawPagingMember || declaredTotal != nil }
}
