import Crypto

/// SHA-256 digests of files and bytes, as `sha256:<hex>` or bare hex.
public enum SHA256Digest {
    /// Lower-case hex of the SHA-256 of `bytes`.
    public static func hex(of bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return hexString(hasher.finalize())
    }

    /// Lower-case hex of the SHA-256 of a file, read in chunks (constant memory).
    public static func hex(ofFile path: String) throws -> String {
        var hasher = SHA256()
        let reader = try RawFileReader(path: path, chunkSize: 4 << 20)
        // Hashed where it was read (no copy of each chunk).
        while let chunk = try reader.nextChunk() { hasher.update(bufferPointer: chunk) }
        return hexString(hasher.finalize())
    }

    static func hexString(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
