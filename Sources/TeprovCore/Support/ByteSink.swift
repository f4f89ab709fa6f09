/// A growable byte buffer written through a pointer, for serializers that emit hundreds of megabytes (the
/// plan file): an append is one capacity test and a store or a copy, without the uniqueness check and the
/// bookkeeping of `Array.append`, which cost the plan writer about a third of its time.
///
/// A sink belongs to one thread at a time; `@unchecked Sendable` lets a finished sink be handed to another
/// thread (through a lock) together with its ownership.
final class ByteSink: @unchecked Sendable {
    private(set) var start: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 64)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }

    /// The bytes written so far (valid until the next append or `removeAll`).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: start, count: count) }

    /// Forgets the bytes, keeping the storage.
    func removeAll() { count = 0 }

    @inline(__always)
    func append(_ byte: UInt8) {
        if count == capacity { grow(toHold: count + 1) }
        start[count] = byte
        count &+= 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        if count &+ bytes.count > capacity { grow(toHold: count + bytes.count) }
        UnsafeMutableRawPointer(start + count).copyMemory(from: base, byteCount: bytes.count)
        count &+= bytes.count
    }

    @inline(__always)
    func append(_ text: StaticString) {
        append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Appends `count` copies of `byte` (indentation).
    @inline(__always)
    func append(repeating byte: UInt8, count repeats: Int) {
        guard repeats > 0 else { return }
        if count &+ repeats > capacity { grow(toHold: count + repeats) }
        (start + count).update(repeating: byte, count: repeats)
        count &+= repeats
    }

    /// Appends `value` in decimal, as `String(value)` spells it.
    func appendDecimal(_ value: Int) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits and a sign
        withUnsafeMutableBytes(of: &digits) { buffer in
            var position = buffer.count
            var remaining = value.magnitude
            repeat {
                position -= 1
                buffer[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            } while remaining > 0
            if value < 0 {
                position -= 1
                buffer[position] = UInt8(ascii: "-")
            }
            append(UnsafeRawBufferPointer(rebasing: buffer[position...]))
        }
    }

    /// Appends `value` as a JSON string literal with the escapes RFC 8785 prescribes (the text
    /// `JSONValue.writeString` writes).
    func appendJSONString(_ value: String) {
        // The bytes of the borrowed string, without the copy `withUTF8` needs (a retain and a release, on
        // strings both plan writer threads share, such as a file name).
        if value.utf8.withContiguousStorageIfAvailable({ appendJSONString(bytes: $0) }) != nil { return }
        var text = value
        text.withUTF8 { appendJSONString(bytes: $0) }
    }

    /// Appends the UTF-8 `bytes` as a JSON string literal.
    private func appendJSONString(bytes: UnsafeBufferPointer<UInt8>) {
        // Room for the quotes and the text as it is, which is all most strings need.
        if count &+ bytes.count &+ 2 > capacity { grow(toHold: count + bytes.count + 2) }
        start[count] = UInt8(ascii: "\"")
        count &+= 1
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart..<index])))
            appendEscape(byte)
            runStart = index + 1
        }
        append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count])))
        append(UInt8(ascii: "\""))
    }

    private func appendEscape(_ byte: UInt8) {
        JSONValue.escape(byte) { append(UnsafeRawBufferPointer($0)) }
    }

    @inline(never)
    private func grow(toHold needed: Int) {
        UnsafeMutablePointer.grow(&start, count: count, capacity: &capacity, toHold: needed)
    }
}
