/// Refuses partial exports (SPEC §2): a file that holds only some pages of a collection would
/// make every missing user look deleted, so it is a document error, never a smaller source.
struct JSONExportCompleteness {
    /// Line of the `@odata.nextLink` of the last Graph page read, if it had one.
    private var pendingNextLinkLine: Int?
    private var graphItems: Int64 = 0
    private var largestODataCount: (count: Int64, line: Int)?
    private var scimResources: Int64 = 0
    private var largestTotalResults: (count: Int64, line: Int)?

    /// A Graph page ended after `items` elements of its `value` array.
    mutating func graphPageEnded(_ envelope: JSONPageEnvelope, items: Int) {
        pendingNextLinkLine = envelope.nextLinkLine
        graphItems += Int64(items)
        if let count = envelope.odataCount, count.count > (largestODataCount?.count ?? -1) { largestODataCount = count }
    }

    /// A SCIM ListResponse ended after `items` elements of its `Resources` array.
    mutating func listResponseEnded(_ envelope: JSONPageEnvelope, items: Int) {
        scimResources += Int64(items)
        if let total = envelope.totalResults, total.count > (largestTotalResults?.count ?? -1) {
            largestTotalResults = total
        }
    }

    /// Throws when the file, read to its end, is only part of the collection it comes from.
    func verify(_ context: ReadContext) throws {
        if let line = pendingNextLinkLine {
            throw context.documentError(
                line: line,
                "the last Graph page in the file has an @odata.nextLink, so the export is partial; export all pages (follow @odata.nextLink until it is absent) into the file"
            )
        }
        if let count = largestODataCount, count.count > graphItems {
            throw context.documentError(
                line: count.line,
                "@odata.count says the collection has \(count.count) entries but the file holds \(graphItems), so the export is partial; export all pages into the file"
            )
        }
        if let total = largestTotalResults, total.count > scimResources {
            throw context.documentError(
                line: total.line,
                "the SCIM ListResponse says totalResults is \(total.count) but the file holds \(scimResources) resources, so the export is partial; export all pages into the file"
            )
        }
    }
}
