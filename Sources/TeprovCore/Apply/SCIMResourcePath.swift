/// An attribute path into a SCIM resource (RFC 7644 §3.10), as PATCH operations and filters name
/// it: `userName`, `name.givenName`, `emails[type eq "work"].value`, or an extension attribute
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.
///
/// Held as member names from the resource's top level down; the enterprise extension is the
/// top-level member named by its URN, and a core-schema URN prefix is dropped. A filter may select
/// entries of a multi-valued segment.
struct SCIMResourcePath: Sendable, CustomStringConvertible {
    struct Segment: Sendable {
        /// The member name, in the schema's spelling when the schema knows it.
        var name: String
        /// Selects entries of a multi-valued attribute (`emails[type eq "work"]`).
        var filter: SCIMFilterExpression?
    }

    var segments: [Segment]
    /// The path as the request wrote it, for error details.
    var text: String

    /// The member names, without filters.
    var names: [String] { segments.map(\.name) }

    var description: String { text }

    /// Splits the text of an attribute path (no filter) into member names, in the schema's spelling.
    /// - Returns: `nil` when the text is empty or has an empty name.
    static func names(of text: String) -> [String]? {
        guard !text.isEmpty else { return nil }
        var names: [String]
        let lowered = text.lowercased()
        let core = SCIMUserSchema.coreSchema.lowercased() + ":"
        let enterprise = SCIMUserSchema.enterpriseSchema.lowercased()
        if lowered.hasPrefix(core) {
            names = dotted(String(text.dropFirst(core.count)))
        } else if lowered == enterprise {
            names = [SCIMUserSchema.enterpriseSchema]
        } else if lowered.hasPrefix(enterprise + ":") {
            names = [SCIMUserSchema.enterpriseSchema] + dotted(String(text.dropFirst(enterprise.count + 1)))
        } else if lowered.hasPrefix("urn:"), let colon = text.lastIndex(of: ":") {
            // Another extension: its URN ends at the last colon.
            names = [String(text[..<colon])] + dotted(String(text[text.index(after: colon)...]))
        } else {
            names = dotted(text)
        }
        guard !names.contains(where: \.isEmpty) else { return nil }
        return canonical(names)
    }

    private static func dotted(_ text: String) -> [String] {
        text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    /// The names in the schema's spelling where the schema knows them.
    private static func canonical(_ names: [String]) -> [String] {
        var result: [String] = []
        var attributes = SCIMUserSchema.topLevel
        for name in names {
            if let known = SCIMUserSchema.find(name, in: attributes) {
                result.append(known.name)
                attributes = known.subAttributes
            } else {
                result.append(name)
                attributes = []
            }
        }
        return result
    }
}
