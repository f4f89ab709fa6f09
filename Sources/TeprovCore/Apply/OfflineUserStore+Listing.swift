/// `GET /Users` (RFC 7644 §3.4.2): filtering, index paging and the ListResponse, as scim2-server
/// answers it: `startIndex` below 1 counts as 1, a negative `count` as 0, `count` is capped at
/// 1000 (also its default), and a value that is not a number is a 400.
///
/// `id`, `userName` and `externalId` equality filters are answered from the indexes; any other
/// filter parses every live user, which is slow on a million users but right. Users are listed in
/// snapshot order, then creation order (scim2-server lists by id).
extension OfflineUserStore {
    static let maximumPageSize = 1000

    mutating func list(_ request: SCIMRequest) throws(OfflineSCIMError) -> SCIMResponse {
        var filterText: String?
        var startIndex = 1
        var count = Self.maximumPageSize
        for item in request.query {
            switch item.name.lowercased() {
            case "filter": filterText = item.value
            case "startindex": startIndex = max(1, try Self.integer(item))
            case "count": count = min(max(0, try Self.integer(item)), Self.maximumPageSize)
            default: break
            }
        }
        let projection = try SCIMAttributeProjection(query: request.query)
        let matched = try matchingSlots(filterText)
        let pageStart = min(startIndex - 1, matched.count)
        let page = matched[pageStart..<min(matched.count, pageStart + count)]

        var body: [UInt8] = []
        body.append(contentsOf: "{\"schemas\":[\"\(Self.listResponseSchema)\"],\"totalResults\":".utf8)
        body.append(contentsOf: String(matched.count).utf8)
        body.append(contentsOf: ",\"startIndex\":\(startIndex),\"itemsPerPage\":\(page.count),\"Resources\":[".utf8)
        for (position, slot) in page.enumerated() {
            if position > 0 { body.append(UInt8(ascii: ",")) }
            if let projection {
                projection.apply(to: try resource(at: Int(slot))).write(into: &body, style: .compact)
            } else {
                appendJSON(at: Int(slot), to: &body)
            }
        }
        body.append(contentsOf: "]}".utf8)
        return SCIMResponse(status: 200, headers: [OfflineSCIMError.contentType], body: body)
    }

    /// The live slots that `filterText` selects, in order (all of them without a filter).
    private mutating func matchingSlots(_ filterText: String?) throws(OfflineSCIMError) -> [Int32] {
        guard let filterText, !filterText.trimmingWhitespace().isEmpty else { return liveSlots() }
        let filter = try SCIMFilterExpression.parse(filterText)
        try Self.checkAttributes(of: filter)
        if let lookup = filter.equalityLookup, lookup.names.count == 1, case .string(let value) = lookup.value {
            switch lookup.names[0] {
            case "id": return slot(id: value).map { [Int32(truncatingIfNeeded: $0)] } ?? []
            case "userName": return slots(userName: value).map { Int32(truncatingIfNeeded: $0) }
            case "externalId": return slots(externalId: value).map { Int32(truncatingIfNeeded: $0) }
            default: break
            }
        }
        var matched: [Int32] = []
        for slot in liveSlots() where filter.matches(try resource(at: Int(slot))) {
            matched.append(slot)
        }
        return matched
    }

    /// Refuses filters on attributes a User cannot have ("Field not found"), as scim2-server does.
    private static func checkAttributes(of filter: SCIMFilterExpression) throws(OfflineSCIMError) {
        switch filter {
        case .and(let left, let right), .or(let left, let right):
            try checkAttributes(of: left)
            try checkAttributes(of: right)
        case .not(let inner):
            try checkAttributes(of: inner)
        case .present(let names), .compare(let names, _, _), .valuePath(let names, _):
            guard let first = names.first else { return }
            if first.lowercased().hasPrefix("urn:") || SCIMUserSchema.attribute(at: names) != nil { return }
            throw OfflineSCIMError.invalidFilter("Field not found: \(names.joined(separator: "."))")
        }
    }

    private static func integer(_ item: SCIMQueryItem) throws(OfflineSCIMError) -> Int {
        guard let number = Int(item.value.trimmingWhitespace()) else {
            throw OfflineSCIMError.invalidValue(
                "Input should be a valid integer, unable to parse string as an integer: \(item.name)")
        }
        return number
    }
}
