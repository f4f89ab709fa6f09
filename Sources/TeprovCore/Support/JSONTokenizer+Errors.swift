extension JSONTokenizer {
    /// A document-level error at the current input line.
    func failure(_ message: String) -> TeprovError {
        TeprovError(.input, message, file: sourceName, line: currentLine)
    }

    /// The input ended inside an object or array (or before the value of a key).
    func truncatedError() -> TeprovError {
        let container = openContainers > 0 && containerIsObject[openContainers - 1] ? "an object" : "an array"
        if expectation == .colon {
            return failure("the JSON ends after an object key, before its value; the \(inputNoun) is truncated")
        }
        return failure("the JSON ends in the middle of \(container); the \(inputNoun) is truncated")
    }

    /// The input ended inside a string.
    func truncatedStringError() -> TeprovError {
        failure("the JSON ends inside a string; the \(inputNoun) is truncated or a closing quote is missing")
    }

    func stringTooLongError() -> TeprovError {
        failure(
            "a string is longer than \(maximumStringLength / (1 << 20)) MiB, far beyond any directory value; the file is not a user export"
        )
    }

    func invalidUTF8Error(_ byte: UInt8) -> TeprovError {
        failure("a string holds invalid UTF-8 (\(Self.describe(byte))); re-export the file as UTF-8")
    }

    /// A byte as people read it in a message: `'x'` for printable ASCII, `byte 0x1F` otherwise.
    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte <= 0x7E { return "'\(Character(Unicode.Scalar(byte)))'" }
        if byte == 0x20 { return "a space" }
        return "byte 0x\(hexDigits(byte))"
    }

    static func hexDigits(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
    }
}
