import Foundation

/// The CSV dialects of SPEC §2, recognised from the header row.
enum CSVDialect: String, Sendable, CaseIterable {
    /// Entra admin center "Download users", either header vocabulary (`objectId`/`physicalDeliveryOfficeName`/
    /// `mobile` or Graph's `id`/`officeLocation`/`mobilePhone`).
    case entraDownload = "entra-download"
    /// Entra "Bulk create users" template: `version:v1.0` line, `Label [property] Required` headers,
    /// an optional `Example:` row, and `Block sign in (Yes/No)` as the inverse of `accountEnabled`.
    case entraBulkCreate = "entra-bulk-create"
    /// Any other header: the header names are the attribute names.
    case generic

    /// The alias table the dialect's header names go through. The bulk-create template names its
    /// columns in the same AAD Graph vocabulary as the download (`physicalDeliveryOfficeName`, `mobile`),
    /// so it shares the download's aliases.
    var aliases: AttributeAliases {
        switch self {
        case .entraDownload, .entraBulkCreate: return .entraDownload
        case .generic: return .none
        }
    }

    /// Recognises the dialect from the header cells (trimmed, NFC) and whether a version line came first.
    ///
    /// The download is told by its identity columns rather than by exact column order, so a file with
    /// columns removed or reordered (both happen, see `export-formats.md` §1.1) is still recognised.
    static func recognise(header: [String], afterVersionLine: Bool) -> CSVDialect {
        if afterVersionLine { return .entraBulkCreate }
        let folded = Set(header.map { AttributeKey.fold($0) })
        // A bulk-create template whose version line was deleted still has its bracketed property names.
        if header.contains(where: { bracketedPropertyName(in: $0).map(AttributeKey.fold) == "userprincipalname" }) {
            return .entraBulkCreate
        }
        if folded.contains("userprincipalname"), folded.contains("objectid") || folded.contains("id"),
            folded.contains("accountenabled")
        {
            return .entraDownload
        }
        return .generic
    }

    /// `true` for the bulk templates' first line: `version:v1.0`, possibly followed by empty cells
    /// (`version:v1.0,,,,` as Excel saves it).
    static func isVersionLine(_ cells: [String?]) -> Bool {
        guard let first = cells.first, let text = first, cells.dropFirst().allSatisfy({ $0 == nil }) else {
            return false
        }
        let folded = text.lowercased()
        guard folded.hasPrefix("version:v") else { return false }
        let number = folded.dropFirst("version:v".count)
        return !number.isEmpty && number.first != "." && number.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
    }

    /// The property name in a bulk-template heading (`Name [displayName] Required` → `displayName`):
    /// the last non-empty `[...]` token, which is stable across label wording and language.
    static func bracketedPropertyName(in heading: String) -> String? {
        guard let open = heading.lastIndex(of: "[") else { return nil }
        let rest = heading[heading.index(after: open)...]
        guard let close = rest.firstIndex(of: "]") else { return nil }
        let name = rest[..<close].trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? nil : name
    }

    /// `true` when the data row is the template's example row (first cell `Example: ...`).
    static func isExampleRow(firstCell: String?) -> Bool {
        guard let firstCell, firstCell.utf8.count >= 8 else { return false }
        return firstCell.prefix(8).lowercased() == "example:"
    }
}
