import Testing

@testable import TeprovCore

/// Generated files with every awkward value (commas, quotes, line breaks, non-ASCII, blanks) read back
/// exactly, whatever the read size and line ending, with each record's origin on its first line.
@Suite struct CSVRoundTripTests {
    /// Deterministic generator (SplitMix64), so a failure reproduces.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    static let pieces = [
        "a", "Ann", "Zo\u{00E9}", "\u{4E2D}\u{6587}", "\u{1F600}", ",", "\"", "\n", "\r\n", " x ", "o'Neil", "=1+3",
        "True", "x\"y", "long-value-0123456789",
    ]

    /// A value as stored: trimmed, empty → absent, booleans typed.
    static func expected(_ raw: String) -> AttributeValue? {
        let trimmed = raw.trimmingASCIIBlanks
        guard !trimmed.isEmpty else { return nil }
        return TextNormalization.untypedScalar(trimmed)
    }

    static func encode(_ value: String, generator: inout SeededGenerator) -> String {
        let needsQuotes = value.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        if needsQuotes || Bool.random(using: &generator) && Bool.random(using: &generator) {
            return "\"" + value.replacingQuotes + "\""
        }
        return value
    }

    @Test(arguments: [1, 2, 3, 4], ["\n", "\r\n"])
    func readsGeneratedFilesBack(seed: UInt64, lineEnding: String) throws {
        var generator = SeededGenerator(state: seed)
        let columns = ["c0", "c1", "c2", "c3"]
        var text = columns.joined(separator: ",") + lineEnding
        var line = 2
        var expectedRows: [(line: Int, values: [AttributeValue?])] = []
        for _ in 0..<200 {
            var raw: [String] = []
            for _ in columns {
                var value = ""
                for _ in 0..<Int.random(in: 0...3, using: &generator) {
                    value += Self.pieces.randomElement(using: &generator) ?? ""
                }
                raw.append(value)
            }
            raw[0] = "u\(expectedRows.count)" + raw[0]  // never a blank row
            text += raw.map { Self.encode($0, generator: &generator) }.joined(separator: ",") + lineEnding
            expectedRows.append((line, raw.map(Self.expected)))
            line += 1 + raw.reduce(0) { count, value in count + value.filter { $0 == "\n" || $0 == "\r\n" }.count }
        }
        for chunkSize in [16, 17, 64, 1 << 20] {
            let result = try CSVTestInput.read(text, chunkSize: chunkSize)
            #expect(result.records.count == expectedRows.count, "chunk \(chunkSize)")
            #expect(result.invalid == 0)
            for (record, expected) in zip(result.records, expectedRows) {
                #expect(record.origin.line == expected.line, "chunk \(chunkSize)")
                for (column, value) in zip(columns, expected.values) {
                    #expect(record[column] == value, "chunk \(chunkSize), line \(expected.line), \(column)")
                }
            }
        }
    }
}

extension String {
    fileprivate var trimmingASCIIBlanks: String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first == " " || first == "\t" || first == "\n" || first == "\r" {
            scalars = scalars.dropFirst()
        }
        while let last = scalars.last, last == " " || last == "\t" || last == "\n" || last == "\r" {
            scalars = scalars.dropLast()
        }
        return String(scalars)
    }

    fileprivate var replacingQuotes: String {
        var result = ""
        for character in self { result += character == "\"" ? "\"\"" : String(character) }
        return result
    }
}
