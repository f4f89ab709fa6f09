/// A JSON document as a value, with object members kept in insertion order.
///
/// Used for everything teprov writes as JSON (validate output, plan files, reports), so the output
/// is byte-for-byte deterministic. `serialized(style:)` also produces the RFC 8785 canonical form.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .int(let value): hasher.combine(value)
        case .double(let value): hasher.combine(value)
        case .string(let value): hasher.combine(value)
        case .array(let values): hasher.combine(values)
        case .object(let members):
            for (key, value) in members {
                hasher.combine(key)
                hasher.combine(value)
            }
        }
    }

    /// Member lookup for objects (first match); `nil` for other values.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.0 == key })?.1
    }

    /// How to lay the text out.
    public enum Style: Sendable {
        /// Two-space indentation, one member per line, trailing newline: files people read.
        case pretty
        /// No whitespace, members in insertion order.
        case compact
        /// RFC 8785 (JCS): no whitespace, members sorted by UTF-16 code units, for digests.
        case canonical
        /// The plan file's layout: like `pretty`, except that an element of an array that is an object or an
        /// array is written on one line without whitespace (`compact`): a plan's operation, skipped entry or
        /// diagnostic is one line. With members in canonical order, such a line is its value's canonical
        /// text, so the plan writer serializes an operation once for the file and the digest.
        case plan

        /// Whether containers put each member or element on its own line.
        var spreads: Bool {
            switch self {
            case .pretty, .plan: return true
            case .compact, .canonical: return false
            }
        }
    }

    /// The JSON text of this value.
    public func serialized(style: Style = .pretty) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(into: &output, style: style, depth: 0)
        switch style {
        case .pretty, .plan: output.append(0x0A)
        case .compact, .canonical: break
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the JSON text as UTF-8 bytes.
    public func write(into output: inout [UInt8], style: Style, depth: Int = 0) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): output.append(contentsOf: String(value).utf8)
        case .double(let value): output.append(contentsOf: JSONValue.numberText(value).utf8)
        case .string(let value): JSONValue.writeString(value, into: &output)
        case .array(let values):
            if values.isEmpty {
                output.append(contentsOf: "[]".utf8)
                return
            }
            let spread = style.spreads
            // In the plan layout, each element is one line.
            let elementStyle = style == .plan ? .compact : style
            output.append(UInt8(ascii: "["))
            for (position, value) in values.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                if spread { JSONValue.newline(&output, depth: depth + 1) }
                value.write(into: &output, style: elementStyle, depth: depth + 1)
            }
            if spread { JSONValue.newline(&output, depth: depth) }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty {
                output.append(contentsOf: "{}".utf8)
                return
            }
            let ordered: [(String, JSONValue)]
            if case .canonical = style, !JSONValue.isInCanonicalOrder(members) {
                ordered = JSONValue.canonicallySorted(members)
            } else {
                ordered = members
            }
            let spread = style.spreads
            output.append(UInt8(ascii: "{"))
            for (position, (key, value)) in ordered.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                if spread { JSONValue.newline(&output, depth: depth + 1) }
                JSONValue.writeString(key, into: &output)
                output.append(UInt8(ascii: ":"))
                if spread { output.append(0x20) }
                value.write(into: &output, style: style, depth: depth + 1)
            }
            if spread { JSONValue.newline(&output, depth: depth) }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// `true` when the member names are in RFC 8785 order (UTF-16 code units), which `Plan.jsonValue`
    /// and most documents teprov builds already are: checking is cheaper than sorting.
    static func isInCanonicalOrder(_ members: [(String, JSONValue)]) -> Bool {
        guard members.count > 1 else { return true }
        for index in 1..<members.count where !JSONKeyOrder.precedes(members[index - 1].0, members[index].0) {
            return false
        }
        return true
    }

    /// The members sorted by name in RFC 8785 order (UTF-16 code units).
    static func canonicallySorted(_ members: [(String, JSONValue)]) -> [(String, JSONValue)] {
        members.sorted { JSONKeyOrder.precedes($0.0, $1.0) }
    }

    /// The value with the members of every object, at every level, in RFC 8785 order: built once so that the
    /// plan writer, which writes objects in that order, finds them so and sorts nothing.
    func canonicallyOrdered() -> JSONValue {
        switch self {
        case .array(let values): return .array(values.map { $0.canonicallyOrdered() })
        case .object(let members):
            let ordered = members.map { ($0.0, $0.1.canonicallyOrdered()) }
            return .object(JSONValue.isInCanonicalOrder(ordered) ? ordered : JSONValue.canonicallySorted(ordered))
        default: return self
        }
    }

    private static func newline(_ output: inout [UInt8], depth: Int) {
        output.append(0x0A)
        for _ in 0..<(depth * 2) { output.append(0x20) }
    }

    /// Numbers as ECMAScript prints them (RFC 8785 §3.2.2.3) for the common cases: integral values
    /// without a fraction, others in Swift's shortest round-trip form.
    static func numberText(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e21 {
            if abs(value) < 9.007_199_254_740_992e15 { return String(Int64(value)) }
        }
        var text = String(value)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// Writes a JSON string literal with the escapes RFC 8785 prescribes.
    public static func writeString(_ value: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = value
        text.withUTF8 { bytes in
            // Copy runs of bytes that need no escape in one go; most strings are one run.
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                }
                appendEscape(byte, into: &output)
                runStart = index + 1
            }
            if runStart < bytes.count {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(_ byte: UInt8, into output: inout [UInt8]) {
        escape(byte) { output.append(contentsOf: $0) }
    }

    /// Hands `body` the escape RFC 8785 prescribes for `byte` of a string, which needs one (`"`, `\`, or a
    /// control character): `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, else `\u00XX` in lower-case hex. Shared
    /// by every JSON serializer (`JSONValue`, `ByteSink`, `CanonicalJSONStream`).
    static func escape(_ byte: UInt8, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (UInt8(ascii: "\\"), 0, 0, 0, 0, 0)
        var count = 2
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): text.1 = byte
        case 0x08: text.1 = UInt8(ascii: "b")
        case 0x0C: text.1 = UInt8(ascii: "f")
        case 0x0A: text.1 = UInt8(ascii: "n")
        case 0x0D: text.1 = UInt8(ascii: "r")
        case 0x09: text.1 = UInt8(ascii: "t")
        default:
            let hex: StaticString = "0123456789abcdef"
            (text.1, text.2, text.3) = (UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"))
            (text.4, text.5) = (hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0xF)])
            count = 6
        }
        withUnsafeBytes(of: &text) { raw in
            body(UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: count))
        }
    }
}

extension AttributeValue {
    /// The value as JSON (strings, booleans, numbers, arrays).
    public var jsonValue: JSONValue {
        switch self {
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .double(let number): return .double(number)
        case .multi(let values): return .array(values.map(\.jsonValue))
        }
    }
}
