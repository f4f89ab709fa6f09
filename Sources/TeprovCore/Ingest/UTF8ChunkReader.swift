#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a file in fixed-size chunks and hands them out as UTF-8, whatever the file's BOM says.
///
/// Memory stays constant whatever the file size: one read buffer and one output buffer.
/// UTF-16 input is transcoded chunk by chunk (a code unit or surrogate pair split across chunks is
/// carried over). The BOM is never part of the output.
public final class UTF8ChunkReader {
    public let path: String
    public private(set) var encoding: TextEncoding = .utf8
    /// Bytes of the original file consumed so far (for progress and error offsets).
    public private(set) var bytesRead: Int = 0

    private let descriptor: Int32
    private let chunkSize: Int
    private var raw: [UInt8]
    private var rawStart = 0
    private var rawEnd = 0
    private var reachedEOF = false
    private var pendingHighSurrogate: UInt16?
    private var didDetectEncoding = false

    /// Opens `path` for reading.
    /// - Throws: `TeprovError(.io)` naming the file when it cannot be opened or is a directory.
    public init(path: String, chunkSize: Int = 1 << 20) throws {
        self.path = path
        self.chunkSize = max(chunkSize, 16)
        self.descriptor = try InputFileDescriptor.open(path)
        self.raw = [UInt8](repeating: 0, count: self.chunkSize + 4)
    }

    deinit { close(descriptor) }

    /// Replaces `output`'s contents with the next chunk of UTF-8 text.
    /// - Returns: `false` at end of file (and `output` is then empty).
    /// - Throws: `TeprovError(.input)` for a read error or invalid UTF-16.
    public func read(into output: inout [UInt8]) throws -> Bool {
        output.removeAll(keepingCapacity: true)
        while output.isEmpty {
            if rawStart == rawEnd {
                if reachedEOF {
                    if pendingHighSurrogate != nil {
                        throw TeprovError(
                            .input, "ends inside a UTF-16 surrogate pair; the file is truncated or not UTF-16",
                            file: path)
                    }
                    return false
                }
                try fill()
                continue
            }
            if !didDetectEncoding {
                // Wait for at least 3 bytes (or EOF) before deciding.
                if rawEnd - rawStart < 3 && !reachedEOF {
                    try fill()
                    continue
                }
                let (detected, bomLength) = TextEncoding.detect(raw[rawStart..<rawEnd])
                encoding = detected
                rawStart += bomLength
                didDetectEncoding = true
                continue
            }
            switch encoding {
            case .utf8, .utf8BOM:
                output.append(contentsOf: raw[rawStart..<rawEnd])
                rawStart = rawEnd
            case .utf16LE, .utf16BE:
                // One odd byte left (a short read): fetch more instead of transcoding nothing forever.
                if rawEnd - rawStart < 2 && !reachedEOF {
                    try fill()
                    continue
                }
                try transcodeUTF16(into: &output)
            }
        }
        return true
    }

    /// Reads the whole remaining file as UTF-8 (for small inputs such as configs).
    public func readAll() throws -> [UInt8] {
        var all: [UInt8] = []
        var chunk: [UInt8] = []
        while try read(into: &chunk) { all.append(contentsOf: chunk) }
        return all
    }

    private func fill() throws {
        // Keep an odd trailing byte of UTF-16 input at the front.
        if rawStart < rawEnd {
            let leftover = rawEnd - rawStart
            for offset in 0..<leftover { raw[offset] = raw[rawStart + offset] }
            rawEnd = leftover
        } else {
            rawEnd = 0
        }
        rawStart = 0
        let capacity = raw.count - rawEnd
        let count = raw.withUnsafeMutableBytes { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            while true {
                let result = Glibc.read(descriptor, base + rawEnd, capacity)
                if result < 0 && errno == EINTR { continue }
                return result
            }
        }
        if count < 0 {
            let reason = String(cString: strerror(errno))
            throw TeprovError(.io, "cannot be read (\(reason)); check the file and the disk", file: path)
        }
        if count == 0 { reachedEOF = true }
        bytesRead += count
        rawEnd += count
    }

    private func transcodeUTF16(into output: inout [UInt8]) throws {
        let bigEndian = encoding == .utf16BE
        output.reserveCapacity((rawEnd - rawStart) * 3 / 2)
        while rawEnd - rawStart >= 2 {
            let first = raw[rawStart]
            let second = raw[rawStart + 1]
            rawStart += 2
            let unit = bigEndian ? (UInt16(first) << 8 | UInt16(second)) : (UInt16(second) << 8 | UInt16(first))
            if let high = pendingHighSurrogate {
                pendingHighSurrogate = nil
                guard (0xDC00...0xDFFF).contains(unit) else { throw invalidUTF16() }
                let scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
                UTF8Encoding.append(scalar, to: &output)
            } else if (0xD800...0xDBFF).contains(unit) {
                pendingHighSurrogate = unit
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw invalidUTF16()
            } else {
                UTF8Encoding.append(UInt32(unit), to: &output)
            }
        }
        if reachedEOF && rawEnd - rawStart == 1 {
            throw TeprovError(.input, "has an odd number of bytes for UTF-16; the file is truncated", file: path)
        }
    }

    private func invalidUTF16() -> TeprovError {
        TeprovError(
            .input, "contains invalid UTF-16 near byte \(bytesRead - (rawEnd - rawStart)); re-export the file",
            file: path)
    }

}
