import CLibXML2

/// Converts one CLIXML typed element into an attribute value.
///
/// | element | value |
/// |---|---|
/// | `S`, `DT`, `G`, `D` (decimal), `TS`, `URI`, `Version`, `XD`, `SBK`, unknown | string (escapes decoded; `DT` and `D` kept as written) |
/// | `B` | bool (`true`/`false`) |
/// | `I32`, `I64`, `U32`, `I16`, `U16`, `U64`, `By`, `SB` | int (a `U64` above `Int64.max` stays text) |
/// | `Db`, `Sg` | double (`INF`, `-INF`, `NaN` stay text) |
/// | `C` | the character (PowerShell writes a `char` as its code) |
/// | `BA` | the base64 text |
/// | `Nil`, `SS` | absent (a SecureString is never read) |
/// | `Obj` | a collection (`LST`, `IE`, `STK`, `QUE`) of scalars: multi-valued; else its `ToString` |
/// | `Ref` | the referenced earlier object's value, when still known; else absent |
final class CLIXMLTypedValue {
    /// What an element turned into.
    enum Outcome: Equatable {
        case absent
        case value(AttributeValue)
        /// A record-level problem, phrased to follow the attribute name ("is not a number: …").
        case problem(String)
    }

    let vocabulary: CLIXMLVocabulary
    var references = CLIXMLReferenceCache()

    init(vocabulary: CLIXMLVocabulary) {
        self.vocabulary = vocabulary
    }

    /// The value of a typed element (property, collection item or nested object).
    func value(of element: XMLTreeNode) -> Outcome {
        guard element.isInNamespace(vocabulary.namespace), let name = element.localName else {
            return .absent
        }
        switch name {
        case vocabulary.string, vocabulary.dateTime, vocabulary.guid, vocabulary.decimal:
            return stringOutcome(element)
        case vocabulary.nilValue, vocabulary.secureString:
            return .absent
        case vocabulary.bool:
            guard let text = text(of: element) else { return .absent }
            switch text {
            case "true", "True": return .value(.bool(true))
            case "false", "False": return .value(.bool(false))
            default: return .problem("is not a boolean: \(text)")
            }
        case vocabulary.int32, vocabulary.int64, vocabulary.uint32, vocabulary.int16, vocabulary.uint16,
            vocabulary.byte, vocabulary.signedByte:
            guard let text = text(of: element) else { return .absent }
            guard let number = Int64(text) else { return .problem("is not a whole number: \(text)") }
            return .value(.int(number))
        case vocabulary.uint64:
            guard let text = text(of: element) else { return .absent }
            guard let number = UInt64(text) else { return .problem("is not a whole number: \(text)") }
            return .value(number <= UInt64(Int64.max) ? .int(Int64(number)) : .string(text))
        case vocabulary.double, vocabulary.single:
            guard let text = text(of: element) else { return .absent }
            switch text {
            case "INF", "-INF", "NaN": return .value(.string(text))
            default:
                guard let number = Double(text), number.isFinite else { return .problem("is not a number: \(text)") }
                return .value(.double(number))
            }
        case vocabulary.char:
            guard let text = text(of: element) else { return .absent }
            guard let code = UInt32(text), let scalar = Unicode.Scalar(code) else {
                return .problem("is not a character code: \(text)")
            }
            return TextNormalization.normalize(String(Character(scalar))).map { .value(.string($0)) } ?? .absent
        case vocabulary.bytes:
            guard let text = text(of: element) else { return .absent }
            return .value(.string(text.filter { !$0.isWhitespace }))
        case vocabulary.obj:
            return objectValue(element)
        case vocabulary.ref:
            guard let refId = refId(of: element), case .some(let known) = references.lookup(refId), let known else {
                return .absent
            }
            return .value(known)
        default:
            return stringOutcome(element)
        }
    }

    /// A nested object: a collection of scalars becomes multi-valued, anything else its `ToString`.
    private func objectValue(_ object: XMLTreeNode) -> Outcome {
        var items: [AttributeValue]?
        var label: String?
        var problem: String?
        object.forEachChildElement { child in
            guard problem == nil, child.isInNamespace(vocabulary.namespace), let name = child.localName else { return }
            switch name {
            case vocabulary.toString:
                label = text(of: child)
            case vocabulary.list, vocabulary.enumerable, vocabulary.stack, vocabulary.queue:
                var collected = items ?? []
                child.forEachChildElement { item in
                    guard problem == nil else { return }
                    switch value(of: item) {
                    case .absent: break
                    case .value(.multi(let nested)): collected.append(contentsOf: nested)
                    case .value(let scalar): collected.append(scalar)
                    case .problem(let message): problem = "holds a value that \(message)"
                    }
                }
                items = collected
            default:
                break
            }
        }
        let outcome: Outcome
        if let problem {
            outcome = .problem(problem)
        } else if let items {
            outcome = items.isEmpty ? .absent : .value(.multi(items))
        } else if let label {
            outcome = .value(.string(label))
        } else {
            outcome = .absent
        }
        if let refId = refId(of: object) {
            if case .value(let value) = outcome {
                references.remember(refId, value)
            } else {
                references.remember(refId, nil)
            }
        }
        return outcome
    }

    private func stringOutcome(_ element: XMLTreeNode) -> Outcome {
        element.withText { text in
            let normalized: String?
            switch CLIXMLText.decode(text) {
            case .unchanged: normalized = try? TextNormalization.value(text)
            case .decoded(let bytes): normalized = bytes.withUnsafeBufferPointer { try? TextNormalization.value($0) }
            case .invalid: return .problem("holds a lone UTF-16 surrogate escape (_xD800_ to _xDFFF_)")
            }
            guard let normalized else { return .absent }
            return .value(.string(normalized))
        }
    }

    /// The element's text with escapes decoded, trimmed and NFC-normalized; `nil` when empty.
    func text(of element: XMLTreeNode) -> String? {
        if case .value(.string(let text)) = stringOutcome(element) { return text }
        return nil
    }

    /// The element's `RefId` attribute as a number.
    func refId(of element: XMLTreeNode) -> Int? {
        element.withAttribute(vocabulary.refId) { CLIXMLTypedValue.integer($0) } ?? nil
    }

    /// `Int(text)` for the bytes of a `RefId` (digits with an optional sign), without making a `String`.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return Int(String(decoding: bytes, as: UTF8.self)) }
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
            guard bytes.count > 1 else { return nil }
        }
        var value = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int(digit)
            index += 1
        }
        return negative ? -value : value
    }
}
