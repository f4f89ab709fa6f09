/// The paging envelope of one Graph page or SCIM ListResponse: what it says about the collection.
struct JSONPageEnvelope {
    /// Line of a non-null `@odata.nextLink`: more pages exist after this one.
    var nextLinkLine: Int?
    /// `@odata.count` (the whole collection's size) and its line.
    var odataCount: (count: Int64, line: Int)?
    /// SCIM `totalResults` (the whole result set's size) and its line.
    var totalResults: (count: Int64, line: Int)?
    /// `schemas` names the SCIM ListResponse message.
    var declaresListResponse = false

    static let listResponseSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse"

    /// `true` when an object without a `Resources` array is still a (zero-result) ListResponse.
    var looksLikeListResponse: Bool { declaresListResponse || totalResults != nil }

    /// Takes in an envelope member; `name` is matched as SCIM and OData spell it (SCIM names ignore case).
    /// - Returns: `false` when the member is not part of a paging envelope.
    mutating func absorb(name: String, value: JSONValue, line: Int) -> Bool {
        switch name.lowercased() {
        case "@odata.nextlink":
            if case .string(let link) = value, !link.isEmpty { nextLinkLine = line }
        case "@odata.count":
            if case .int(let count) = value { odataCount = (count, line) }
        case "totalresults":
            if case .int(let count) = value { totalResults = (count, line) }
        case "schemas":
            if case .array(let schemas) = value {
                declaresListResponse = schemas.contains { schema in
                    if case .string(let text) = schema {
                        return text.lowercased() == Self.listResponseSchema.lowercased()
                    }
                    return false
                }
            }
        case "itemsperpage", "startindex", "@odata.context", "@odata.deltalink":
            break
        default:
            return false
        }
        return true
    }
}
