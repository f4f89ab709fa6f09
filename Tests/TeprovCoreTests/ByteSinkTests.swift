import Testing

@testable import TeprovCore

struct ByteSinkTests {
    private func text(_ sink: ByteSink) -> String { String(decoding: sink.bytes, as: UTF8.self) }

    @Test func appendsGrowFromTheSmallestCapacityAndKeepEveryByte() {
        let sink = ByteSink(capacity: 1)
        var expected: [UInt8] = []
        for round in 0..<500 {
            let byte = UInt8(truncatingIfNeeded: round)
            sink.append(byte)
            expected.append(byte)
            let run = [UInt8](repeating: byte &+ 1, count: round % 97)
            sink.append(run)
            expected += run
            sink.append(repeating: 0x20, count: round % 13)
            expected += [UInt8](repeating: 0x20, count: round % 13)
            sink.append("{}")
            expected += Array("{}".utf8)
        }
        #expect(Array(sink.bytes) == expected)
        sink.removeAll()
        #expect(sink.count == 0)
        sink.append("x")
        #expect(text(sink) == "x")
    }

    @Test(arguments: [0, 7, -7, 10, 1_000_000, -1_000_000, Int.max, Int.min])
    func decimalsAreSpelledAsStringDoes(_ value: Int) {
        let sink = ByteSink(capacity: 2)
        sink.append("=")
        sink.appendDecimal(value)
        #expect(text(sink) == "=" + String(value))
    }

    @Test(arguments: [
        "", "plain", "Zoë Wójcik", "quote \" and backslash \\", "tab\tnew\nline\r", "\u{0}\u{1}\u{8}\u{C}\u{1F}",
        "漢字 and emoji 🙂", String(repeating: "long value ", count: 300) + "\"",
    ])
    func jsonStringsAreTheTextJSONValueWrites(_ value: String) {
        let sink = ByteSink(capacity: 4)
        sink.append("[")
        sink.appendJSONString(value)
        var expected = Array("[".utf8)
        JSONValue.writeString(value, into: &expected)
        #expect(Array(sink.bytes) == expected)
    }

    /// Every byte a JSON string escapes gets RFC 8785's text: the two-character escapes where JSON has one,
    /// else `\u00` and two lower-case hex digits; and the sink writes them as `JSONValue` does.
    @Test func everyEscapedByteGetsTheCanonicalEscape() {
        let short: [UInt8: String] = [
            0x22: "\\\"", 0x5C: "\\\\", 0x08: "\\b", 0x0C: "\\f", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t",
        ]
        let hex = Array("0123456789abcdef")
        for byte in Array(UInt8(0)..<0x20) + [0x22, 0x5C] {
            var escaped: [UInt8] = []
            JSONValue.escape(byte) { escaped += $0 }
            let expected = short[byte] ?? "\\u00\(hex[Int(byte >> 4)])\(hex[Int(byte & 0xF)])"
            #expect(String(decoding: escaped, as: UTF8.self) == expected, "byte \(byte)")
        }
        let every = String(decoding: Array(UInt8(0)..<0x20) + Array("\"\\ end".utf8), as: UTF8.self)
        let sink = ByteSink(capacity: 8)
        sink.appendJSONString(every)
        var expected: [UInt8] = []
        JSONValue.writeString(every, into: &expected)
        #expect(Array(sink.bytes) == expected)
        #expect(String(decoding: expected, as: UTF8.self).hasPrefix(#""\u0000\u0001"#))
    }
}
