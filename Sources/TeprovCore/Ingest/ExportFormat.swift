/// What a `--users` file turned out to be: the container family and the dialect within it.
public struct ExportFormat: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Family: String, Sendable, Hashable, Codable {
        case csv, json, xml
    }

    public var family: Family
    /// A short dialect name, e.g. `entra-download`, `graph-page`, `dsml`, `clixml`, `generic`.
    public var dialect: String

    public init(_ family: Family, _ dialect: String) {
        self.family = family
        self.dialect = dialect
    }

    /// `family/dialect`, e.g. `csv/entra-download`, as written in `validate` output and plan inputs.
    public var description: String { "\(family.rawValue)/\(dialect)" }

    /// Sniffs the family from the first non-whitespace character after the BOM (SPEC §2):
    /// `<` is XML, `{` or `[` is JSON, anything else is CSV. The extension is not consulted.
    public static func sniffFamily(_ firstBytes: some Collection<UInt8>) -> Family {
        for byte in firstBytes {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "<"): return .xml
            case UInt8(ascii: "{"), UInt8(ascii: "["): return .json
            default: return .csv
            }
        }
        return .csv
    }
}
