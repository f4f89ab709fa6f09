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
}
