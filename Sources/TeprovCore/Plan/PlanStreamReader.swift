/// Verifies and decodes a plan file in one streaming pass, for files laid out the way `PlanFile.write`
/// writes them: members in canonical order at every level, so the digest is a SHA-256 of the tokens as
/// they come (`CanonicalJSONStream`), and exactly the fields `Plan.jsonValue()` writes, so that value is
/// the document and no tree has to be kept.
///
/// Anything else (members in another order, a field the model does not know, a `null` where the writer
/// puts a value, malformed JSON) throws, and `PlanFile.load` reads the file as a tree instead, which gives
/// the same plan, the same digest verdict, and the errors of the tree path.
final class PlanStreamReader {
    /// The file is not in the shape this reader takes.
    typealias Mismatch = CanonicalJSONStream.NotCanonical

    let stream: CanonicalJSONStream
    let tokenizer: JSONTokenizer
    let names = PlanStringTable()
    private let changeScratch = ScratchStack<AttributeChange>(capacity: 16)

    /// - Parameters:
    ///   - chunkSize: bytes read at a time (tests use tiny chunks to put boundaries in every token).
    ///   - checkingLayout: also find out whether the file is exactly the document's plan layout (`JSONValue.Style.plan`).
    init(path: String, chunkSize: Int = 1 << 20, checkingLayout: Bool = false) throws {
        tokenizer = try JSONTokenizer(path: path, chunkSize: chunkSize)
        stream = CanonicalJSONStream(
            tokenizer: tokenizer, excludingTopLevelKey: "digest",
            layout: checkingLayout ? try PlanLayoutCheck(path: path) : nil)
    }

    /// Reads the whole file.
    /// - Returns: the plan (its `digest` as recorded), `sha256:<hex>` of its canonical form without `digest`,
    ///   and whether the file is byte for byte `plan.jsonValue().serialized(style: .plan)` (only when
    ///   checking the layout; `false` otherwise).
    func read() throws -> (plan: Plan, computedDigest: String, fileIsDocumentText: Bool) {
        var createdAt: String?
        var diagnostics: [Diagnostic]?
        var digest: String?
        var formatVersion: Int?
        var inputs: JSONValue?
        var operations: [PlanOperation]?
        var safety: Plan.Safety?
        var skipped: [SkippedEntry]?
        var summary: Plan.Summary?
        var target: (url: String?, capturedAt: String?)?
        var toolVersion: String?
        try readObject {
            if tokenizer.keyEquals("createdAt") {
                createdAt = try readString()
            } else if tokenizer.keyEquals("diagnostics") {
                diagnostics = try readArray(readDiagnostic)
            } else if tokenizer.keyEquals("digest") {
                digest = try readString()
            } else if tokenizer.keyEquals("formatVersion") {
                formatVersion = try readInt()
            } else if tokenizer.keyEquals("inputs") {
                inputs = try stream.readValue(startingWith: stream.next(), names: names)
            } else if tokenizer.keyEquals("operations") {
                operations = try readArray(readOperation)
            } else if tokenizer.keyEquals("safety") {
                safety = try readSafety()
            } else if tokenizer.keyEquals("skipped") {
                skipped = try readArray(readSkip)
            } else if tokenizer.keyEquals("summary") {
                summary = try readSummary()
            } else if tokenizer.keyEquals("target") {
                target = try readPlanTarget()
            } else if tokenizer.keyEquals("tool") {
                toolVersion = try readTool()
            } else {
                throw Mismatch()
            }
        }
        try tokenizer.expectEndOfInput()
        guard let createdAt, let diagnostics, let digest, formatVersion == Plan.formatVersion, let inputs,
            let operations, let safety, let skipped, let summary, let target, let toolVersion
        else { throw Mismatch() }
        var plan = Plan(
            toolVersion: toolVersion, createdAt: createdAt, targetURL: target.url,
            snapshotCapturedAt: target.capturedAt, inputs: inputs, summary: summary, safety: safety,
            operations: operations, skipped: skipped, diagnostics: diagnostics)
        plan.digest = digest
        let text = stream.finish()
        return (plan, "sha256:" + text.hex, text.layoutMatches)
    }

    // MARK: Plan parts

    private func readOperation(_ first: JSONTokenizer.Token) throws -> PlanOperation {
        var action: PlanAction?
        var changes: [AttributeChange]?
        var held: Bool?
        var id: String?
        var matchedBy: String?
        var precondition: Precondition?
        var reason: String?
        var request: PlanRequest?
        var source: SourceReference?
        var target: TargetReference?
        try readObject(startingWith: first) {
            if tokenizer.keyEquals("action") {
                action = PlanAction(rawValue: try readString())
                if action == nil { throw Mismatch() }
            } else if tokenizer.keyEquals("changes") {
                changes = try readChanges()
            } else if tokenizer.keyEquals("held") {
                held = try readBool()
            } else if tokenizer.keyEquals("id") {
                id = try readString()
            } else if tokenizer.keyEquals("matchedBy") {
                matchedBy = try readString()
            } else if tokenizer.keyEquals("precondition") {
                precondition = try readPrecondition()
            } else if tokenizer.keyEquals("reason") {
                reason = try readString()
            } else if tokenizer.keyEquals("request") {
                request = try readRequest()
            } else if tokenizer.keyEquals("source") {
                source = try readSource()
            } else if tokenizer.keyEquals("target") {
                target = try readTarget()
            } else {
                throw Mismatch()
            }
        }
        guard let action, let changes, let held, let id, let reason, let request else { throw Mismatch() }
        return PlanOperation(
            id: id, action: action, reason: reason, held: held, source: source, target: target, matchedBy: matchedBy,
            changes: changes, request: request, precondition: precondition)
    }

    /// An operation's `changes`, made at their exact number.
    private func readChanges() throws -> [AttributeChange] {
        guard try stream.next() == .beginArray else { throw Mismatch() }
        let start = changeScratch.count
        while true {
            let first = try stream.next()
            if first == .endArray { return changeScratch.take(from: start) }
            changeScratch.push(try readChange(first))
        }
    }

    private func readChange(_ first: JSONTokenizer.Token) throws -> AttributeChange {
        var attribute: String?
        var new: JSONValue?
        var old: JSONValue?
        try readObject(startingWith: first) {
            if tokenizer.keyEquals("attribute") {
                attribute = try readString()
            } else if tokenizer.keyEquals("new") {
                new = try readAny()
            } else if tokenizer.keyEquals("old") {
                old = try readAny()
            } else {
                throw Mismatch()
            }
        }
        guard let attribute, let new, let old else { throw Mismatch() }
        return AttributeChange(attribute: attribute, old: old, new: new)
    }

    private func readRequest() throws -> PlanRequest {
        var body: JSONValue?
        var method: String?
        var path: String?
        try readObject {
            if tokenizer.keyEquals("body") {
                body = try readAny()
            } else if tokenizer.keyEquals("method") {
                method = try readString()
            } else if tokenizer.keyEquals("path") {
                path = try readString()
            } else {
                throw Mismatch()
            }
        }
        guard let method, let path else { throw Mismatch() }
        return PlanRequest(method: method, path: path, body: body)
    }

    private func readPrecondition() throws -> Precondition {
        var fingerprint: String?
        var version: String??
        try readObject {
            if tokenizer.keyEquals("fingerprint") {
                fingerprint = try readString()
            } else if tokenizer.keyEquals("version") {
                version = .some(try readOptionalString())
            } else {
                throw Mismatch()
            }
        }
        guard let fingerprint, let version else { throw Mismatch() }
        return Precondition(version: version, fingerprint: fingerprint)
    }

    private func readSource() throws -> SourceReference {
        var file: String?
        var id: String??
        var line: Int?
        var userPrincipalName: String??
        try readObject {
            if tokenizer.keyEquals("file") {
                file = try readString()
            } else if tokenizer.keyEquals("id") {
                id = .some(try readOptionalString())
            } else if tokenizer.keyEquals("line") {
                line = try readInt()
            } else if tokenizer.keyEquals("userPrincipalName") {
                userPrincipalName = .some(try readOptionalString())
            } else {
                throw Mismatch()
            }
        }
        guard let file, let id, let line, let userPrincipalName else { throw Mismatch() }
        return SourceReference(id: id, userPrincipalName: userPrincipalName, file: file, line: line)
    }

    private func readTarget() throws -> TargetReference {
        var id: String?
        var userName: String??
        try readObject {
            if tokenizer.keyEquals("id") {
                id = try readString()
            } else if tokenizer.keyEquals("userName") {
                userName = .some(try readOptionalString())
            } else {
                throw Mismatch()
            }
        }
        guard let id, let userName else { throw Mismatch() }
        return TargetReference(id: id, userName: userName)
    }

    private func readSkip(_ first: JSONTokenizer.Token) throws -> SkippedEntry {
        var detail: String?
        var reason: String?
        var source: SourceReference?
        var target: TargetReference?
        try readObject(startingWith: first) {
            if tokenizer.keyEquals("detail") {
                detail = try readString()
            } else if tokenizer.keyEquals("reason") {
                reason = try readString()
            } else if tokenizer.keyEquals("source") {
                source = try readSource()
            } else if tokenizer.keyEquals("target") {
                target = try readTarget()
            } else {
                throw Mismatch()
            }
        }
        guard let detail, let reason else { throw Mismatch() }
        return SkippedEntry(reason: reason, source: source, target: target, detail: detail)
    }

    private func readDiagnostic(_ first: JSONTokenizer.Token) throws -> Diagnostic {
        var file: String?
        var line: Int??
        var message: String?
        var severity: Diagnostic.Severity?
        try readObject(startingWith: first) {
            if tokenizer.keyEquals("file") {
                file = try readString()
            } else if tokenizer.keyEquals("line") {
                line = .some(try readOptionalInt())
            } else if tokenizer.keyEquals("message") {
                message = try readString()
            } else if tokenizer.keyEquals("severity") {
                severity = Diagnostic.Severity(rawValue: try readString())
                if severity == nil { throw Mismatch() }
            } else {
                throw Mismatch()
            }
        }
        guard let file, let line, let message, let severity else { throw Mismatch() }
        return Diagnostic(severity, file: file, line: line, message)
    }

    // MARK: Values

    /// Reads an object, calling `member` for each member name (the tokenizer is on it) to read its value.
    /// - Parameter first: the object's first token when it was read already.
    func readObject(startingWith first: JSONTokenizer.Token? = nil, _ member: () throws -> Void) throws {
        guard try first ?? stream.next() == .beginObject else { throw Mismatch() }
        while true {
            switch try stream.next() {
            case .key: try member()
            case .endObject: return
            default: throw Mismatch()
            }
        }
    }

    /// Reads an array, calling `element` with the first token of each element.
    private func readArray<Element>(_ element: (JSONTokenizer.Token) throws -> Element) throws -> [Element] {
        guard try stream.next() == .beginArray else { throw Mismatch() }
        var elements: [Element] = []
        while true {
            let first = try stream.next()
            if first == .endArray { return elements }
            elements.append(try element(first))
        }
    }

    func readAny() throws -> JSONValue {
        try stream.readValue(startingWith: stream.next(), names: names)
    }

    func readString() throws -> String {
        guard try stream.next() == .string else { throw Mismatch() }
        return names.string(tokenizer)
    }

    func readOptionalString() throws -> String? {
        switch try stream.next() {
        case .string: return names.string(tokenizer)
        case .null: return nil
        default: throw Mismatch()
        }
    }

    func readInt() throws -> Int {
        guard try stream.next() == .number, let value = tokenizer.int64Value() else { throw Mismatch() }
        return Int(value)
    }

    func readOptionalInt() throws -> Int? {
        switch try stream.next() {
        case .number:
            guard let value = tokenizer.int64Value() else { throw Mismatch() }
            return Int(value)
        case .null: return nil
        default: throw Mismatch()
        }
    }

    func readBool() throws -> Bool {
        guard case .bool(let flag) = try stream.next() else { throw Mismatch() }
        return flag
    }
}
