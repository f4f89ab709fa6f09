extension JSONTokenizer {
    // MARK: Reading the current number

    /// Calls `body` with the text of the current number token.
    public func withNumberBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: storage + numberStart, count: numberLength))
    }

    /// The current number as an `Int64` when it is written as an integer (no fraction, no exponent)
    /// and fits; `nil` otherwise. `-0` is `0`.
    public func int64Value() -> Int64? {
        guard currentNumberIsIntegral else { return nil }
        let base = storage + numberStart
        var offset = 0
        let negative = base[0] == UInt8(ascii: "-")
        if negative { offset = 1 }
        // Accumulate negatively so that Int64.min fits.
        var value: Int64 = 0
        while offset < numberLength {
            let digit = Int64(base[offset] &- UInt8(ascii: "0"))
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.subtractingReportingOverflow(digit)
            if overflowA || overflowB { return nil }
            value = next
            offset &+= 1
        }
        if negative { return value }
        let (positive, overflow) = Int64(0).subtractingReportingOverflow(value)
        return overflow ? nil : positive
    }

    /// The current number as a `Double` (infinite when it is beyond `Double`'s range).
    public func doubleValue() -> Double {
        let text = withNumberBytes { String(decoding: $0, as: UTF8.self) }
        return Double(text) ?? .nan
    }

    /// The current number as JSON: `.int` when written as an integer that fits `Int64`, else `.double`.
    /// - Throws: `TeprovError(.input)` when the number is beyond `Double`'s range (e.g. `1e400`).
    public func numberValue() throws -> JSONValue {
        if let integer = int64Value() { return .int(integer) }
        let number = doubleValue()
        guard number.isFinite else {
            let text = withNumberBytes { String(decoding: $0, as: UTF8.self) }
            throw failure("the number \(text) is too large to represent")
        }
        return .double(number)
    }

    // MARK: Scanning

    @inline(__always)
    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte &- UInt8(ascii: "0")) < 10 || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
            || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { (byte &- UInt8(ascii: "0")) < 10 }

    /// Scans the number starting at `position` and checks it against the RFC 8259 grammar.
    func scanNumber() throws {
        var start = position
        var offset = start
        while true {
            let base = storage
            while Self.isNumberByte(base[offset]) { offset &+= 1 }
            guard offset == end else { break }
            guard offset &- start <= Self.maximumNumberLength else {
                throw failure("a number is longer than \(Self.maximumNumberLength) characters")
            }
            guard let shift = try loadMore(keepingFrom: start) else { break }
            start &-= shift
            offset &-= shift
        }
        let length = offset &- start
        guard length <= Self.maximumNumberLength else {
            throw failure("a number is longer than \(Self.maximumNumberLength) characters")
        }
        currentNumberIsIntegral = try checkNumberGrammar(start: start, length: length)
        numberStart = start
        numberLength = length
        position = offset
    }

    /// - Returns: `true` when the number has neither fraction nor exponent.
    private func checkNumberGrammar(start: Int, length: Int) throws -> Bool {
        let text = storage + start
        var offset = 0
        var integral = true
        func invalid(_ reason: String) -> TeprovError {
            let shown = String(decoding: UnsafeBufferPointer(start: text, count: min(length, 40)), as: UTF8.self)
            return failure("'\(shown)' is not a valid JSON number (\(reason))")
        }
        if text[0] == UInt8(ascii: "-") { offset = 1 }
        guard offset < length, Self.isDigit(text[offset]) else { throw invalid("a digit must follow the sign") }
        if text[offset] == UInt8(ascii: "0") {
            offset &+= 1
            if offset < length, Self.isDigit(text[offset]) { throw invalid("leading zeros are not allowed") }
        } else {
            while offset < length, Self.isDigit(text[offset]) { offset &+= 1 }
        }
        if offset < length, text[offset] == UInt8(ascii: ".") {
            integral = false
            offset &+= 1
            guard offset < length, Self.isDigit(text[offset]) else { throw invalid("a digit must follow '.'") }
            while offset < length, Self.isDigit(text[offset]) { offset &+= 1 }
        }
        if offset < length, text[offset] == UInt8(ascii: "e") || text[offset] == UInt8(ascii: "E") {
            integral = false
            offset &+= 1
            if offset < length, text[offset] == UInt8(ascii: "+") || text[offset] == UInt8(ascii: "-") { offset &+= 1 }
            guard offset < length, Self.isDigit(text[offset]) else { throw invalid("the exponent needs digits") }
            while offset < length, Self.isDigit(text[offset]) { offset &+= 1 }
        }
        guard offset == length else { throw invalid("unexpected '\(Character(Unicode.Scalar(text[offset])))'") }
        return integral
    }

    /// Consumes `literal` (`true`, `false` or `null`) at `position`.
    func scanLiteral(_ literal: StaticString, place: ValuePlace) throws {
        let count = literal.utf8CodeUnitCount
        var offset = position
        let complete = try requireBytes(count, from: &offset)
        position = offset
        let expected = literal.utf8Start
        let available = min(count, end &- offset)
        for index in 0..<available where storage[offset &+ index] != expected[index] {
            if place == .topLevel && topLevelValuesStarted > 0 {
                throw failure(
                    "found \(Self.describe(storage[offset])) after the end of the JSON value; remove the trailing text or fix the JSON"
                )
            }
            throw failure(
                "expected '\(literal)' but found \(Self.describe(storage[offset &+ index])); JSON literals are lower case"
            )
        }
        guard complete else { throw failure("the JSON ends in the middle of '\(literal)'; the file is truncated") }
        position = offset &+ count
    }
}
