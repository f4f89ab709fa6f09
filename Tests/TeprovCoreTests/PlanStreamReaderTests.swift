import Foundation
import Testing

@testable import TeprovCore

/// `PlanFile.load`'s streaming path (one pass: canonical SHA-256 + decoding) against the tree path it falls
/// back to: both must give the same plan and the same digest verdict, for files `PlanFile.write` made, for
/// hand-edited ones, and for files whose members are in another order.
@Suite struct PlanStreamReaderTests {
    /// Writes `text` to a fresh temporary file and returns its path.
    static func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "plan-stream-\(UUID().uuidString).json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func written(_ plan: Plan) throws -> String {
        let path = NSTemporaryDirectory() + "plan-stream-\(UUID().uuidString).json"
        try PlanFile.write(plan, to: path)
        return path
    }

    /// The sample plan with values that test canonical escaping, number forms and member order.
    static func awkwardPlan() -> Plan {
        var plan = PlanRendererTestPlans.sample()
        plan.inputs = .object([
            ("zeta", .string("tab\there \"quoted\" back\\slash \u{01} nul\u{00} é 😀 \u{2028}")),
            ("Alpha", .array([.int(-7), .double(1.5), .double(1e21), .double(0.000001), .int(Int64.max), .null])),
            ("\u{FFFD}", .bool(true)), ("😀", .bool(false)), ("é", .object([("b", .int(1)), ("a", .int(2))])),
            ("", .string("")), ("a\u{00}", .int(0)), ("a", .int(1)),
        ])
        plan.safety.deletionThresholdPercent = 12.5
        plan.diagnostics.append(Diagnostic(.info, file: "", line: nil, "no line"))
        return plan.sealed()
    }

    /// The plans the parameterized tests run on, by name (so test names stay short).
    static let planNames = ["sample", "awkward"]

    static func plan(named name: String) -> Plan {
        name == "awkward" ? awkwardPlan() : PlanRendererTestPlans.sample().sealed()
    }

    /// The whole plan as a comparable value (the document, plus what the document does not show).
    static func fingerprint(_ plan: Plan) -> String {
        plan.jsonValue().serialized(style: .canonical) + "|\(plan.safety.deletionThresholdPercent)"
    }

    static func expectSameOutcome(_ path: String, streamed: Bool) throws {
        let fast = try PlanFile.load(path: path)
        let tree = try PlanFile.loadTree(path: path)
        #expect(fast.wasStreamed == streamed)
        #expect(!tree.wasStreamed)
        #expect(fast.computedDigest == tree.computedDigest)
        #expect(fast.digestVerified == tree.digestVerified)
        #expect(fingerprint(fast.plan) == fingerprint(tree.plan))
        #expect(fast.plan.operations == tree.plan.operations)
        #expect(fast.plan.skipped == tree.plan.skipped)
        #expect(fast.plan.diagnostics == tree.plan.diagnostics)
        #expect(fast.plan.summary == tree.plan.summary)
        #expect(fast.plan.safety == tree.plan.safety)
        #expect(fast.plan.inputs == tree.plan.inputs)
        #expect(fast.plan.digest == tree.plan.digest)
        #expect(fast.document.serialized(style: .pretty) == tree.document.serialized(style: .pretty))
    }

    // MARK: Files teprov wrote

    @Test(arguments: planNames)
    func aWrittenPlanIsStreamedAndVerifiesLikeTheTree(_ name: String) throws {
        let plan = Self.plan(named: name)
        let path = try Self.written(plan)
        try Self.expectSameOutcome(path, streamed: true)
        let loaded = try PlanFile.load(path: path)
        #expect(loaded.digestVerified)
        #expect(loaded.computedDigest == plan.digest)
        // Values built in another member order (the create's e-mail object) come back in canonical order.
        #expect(Self.fingerprint(loaded.plan) == Self.fingerprint(plan))
        // `show --format json` prints the file as it was written.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(loaded.document.serialized(style: .plan) == text)
    }

    @Test(arguments: [1, 2, 3, 5, 7, 11, 64, 4096])
    func chunkBoundariesInsideTokensDoNotChangeTheDigest(_ chunkSize: Int) throws {
        let plan = Self.awkwardPlan()
        var text = try String(contentsOfFile: try Self.written(plan), encoding: .utf8)
        // Escaped spellings too, so that escapes also straddle chunk boundaries.
        text = text.replacingOccurrences(of: "\"Robert\"", with: "\"R\\u006fb\\/ert\"")
        let path = try Self.file(text)
        let streamed = try PlanStreamReader(path: path, chunkSize: chunkSize).read()
        let tree = try PlanFile.loadTree(path: path)
        #expect(streamed.computedDigest == tree.computedDigest)
        #expect(Self.fingerprint(streamed.plan) == Self.fingerprint(tree.plan))
    }

    @Test func everyGoldenScenarioPlanIsStreamedAndGivesTheTreesPlan() throws {
        var checked = 0
        for scenario in PlanScenario.all where try scenario.expectedError() == nil {
            let plan = try PlanPipeline.run(try scenario.options()).plan
            let path = try Self.written(plan)
            try Self.expectSameOutcome(path, streamed: true)
            #expect(try PlanFile.load(path: path).digestVerified, "\(scenario.name)")
            checked += 1
        }
        #expect(checked >= 30)
    }

    @Test func theFileIsItsCanonicalFormPlusWhitespace() throws {
        let plan = Self.awkwardPlan()
        #expect(plan.jsonValue().hasCanonicalKeyOrder)
        let canonical = plan.jsonValue(includeDigest: false).serialized(style: .canonical)
        let compact = plan.jsonValue(includeDigest: false).serialized(style: .compact)
        #expect(compact == canonical)
    }

    @Test func jsonValueSortsMembersOfValuesBuiltInAnotherOrder() throws {
        let value = JSONValue.object([
            ("schemas", .array([.string("x")])), ("Operations", .array([.object([("value", .null), ("op", .null)])])),
        ])
        #expect(!value.hasCanonicalKeyOrder)
        let sorted = value.inCanonicalKeyOrder()
        #expect(sorted.hasCanonicalKeyOrder)
        #expect(sorted.serialized(style: .compact) == value.serialized(style: .canonical))
    }

    // MARK: Files edited or written by something else

    @Test(arguments: planNames)
    func membersInAnotherOrderFallBackToTheTreeWithTheSameVerdict(_ name: String) throws {
        let plan = Self.plan(named: name)
        let reversed = Self.reversingMembers(plan.jsonValue()).serialized(style: .pretty)
        let path = try Self.file(reversed)
        try Self.expectSameOutcome(path, streamed: false)
        let loaded = try PlanFile.load(path: path)
        #expect(loaded.digestVerified)
        #expect(Self.fingerprint(loaded.plan) == Self.fingerprint(plan))
        // The document keeps the file's order.
        #expect(loaded.document.serialized(style: .pretty) == reversed)
    }

    @Test func aPlanInTheFormerMemberOrderStillLoadsAndVerifies() throws {
        let plan = PlanRendererTestPlans.sample().sealed()
        // formatVersion, tool, createdAt, digest, …: the order teprov wrote before plans were canonical.
        guard case .object(let members) = plan.jsonValue() else {
            Issue.record("a plan is an object")
            return
        }
        let order = ["formatVersion", "tool", "createdAt", "digest", "target", "inputs", "summary", "safety"]
        let former =
            order.compactMap { name in members.first { $0.0 == name } } + members.filter { !order.contains($0.0) }
        let path = try Self.file(JSONValue.object(former).serialized(style: .pretty))
        try Self.expectSameOutcome(path, streamed: false)
        #expect(try PlanFile.load(path: path).digestVerified)
    }

    @Test func anEditedValueFailsVerificationInBothPaths() throws {
        let path = try Self.written(PlanRendererTestPlans.sample().sealed())
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "\"Robert\"", with: "\"Roberta\"")
        #expect(edited != text)
        let editedPath = try Self.file(edited)
        let streamed = try PlanStreamReader(path: editedPath).read()
        let tree = try PlanFile.loadTree(path: editedPath)
        #expect(streamed.computedDigest == tree.computedDigest)
        #expect(streamed.plan.digest != streamed.computedDigest)
        #expect(Self.fingerprint(streamed.plan) == Self.fingerprint(tree.plan))
        // `load` confirms a failed verification with the tree before reporting it.
        try Self.expectSameOutcome(editedPath, streamed: false)
        #expect(try !PlanFile.load(path: editedPath).digestVerified)
    }

    @Test func anEditedDigestFailsVerificationInBothPaths() throws {
        let plan = PlanRendererTestPlans.sample().sealed()
        let path = try Self.written(plan)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let editedPath = try Self.file(text.replacingOccurrences(of: plan.digest, with: "sha256:0"))
        let streamed = try PlanStreamReader(path: editedPath).read()
        #expect(streamed.computedDigest == plan.digest)
        #expect(streamed.plan.digest == "sha256:0")
        try Self.expectSameOutcome(editedPath, streamed: false)
        #expect(try !PlanFile.load(path: editedPath).digestVerified)
    }

    @Test(arguments: [
        // Escapes and number forms that mean the same values: still canonical in content.
        ("\"Robert\"", "\"R\\u006fbert\""),
        ("\"deletionThresholdPercent\": 12.5", "\"deletionThresholdPercent\": 1.25e1"),
        ("\"Alpha\": [\n      -7", "\"Alpha\": [\n      -7.0"),
        ("\"a\\u0000\": 0", "\"a\\u0000\": -0"),
    ])
    func respelledValuesGiveTheTreesDigest(_ replacement: (String, String)) throws {
        let path = try Self.written(Self.awkwardPlan())
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(replacement.0), "\(replacement.0)")
        let editedPath = try Self.file(text.replacingOccurrences(of: replacement.0, with: replacement.1))
        let streamed = try PlanStreamReader(path: editedPath).read()
        let tree = try PlanFile.loadTree(path: editedPath)
        #expect(streamed.computedDigest == tree.computedDigest)
        #expect(Self.fingerprint(streamed.plan) == Self.fingerprint(tree.plan))
        try Self.expectSameOutcome(editedPath, streamed: true)
    }

    @Test(arguments: [
        ("\"matchedBy\":\"externalId\"", "\"matchedBy\":null"),
        // A field the model does not know, in canonical order ("reason" < "reasonNote" < "request").
        ("\"reason\":\"NotMatched\"", "\"reason\":\"NotMatched\",\"reasonNote\":\"kept\""),
        ("\"severity\":\"error\"", "\"severity\":\"notice\""),
        ("\"name\": \"teprov\"", "\"name\": \"other\""),
        ("\"userPrincipalName\":\"bob@contoso.com\"", "\"userPrincipalName\":7"),
        ("\"id\":\"op-000001\",", "\"id\":\"op-000001\",\"id\":\"op-000001\","),
    ])
    func fieldsTheModelDoesNotHoldFallBackToTheTree(_ replacement: (String, String)) throws {
        let path = try Self.written(PlanRendererTestPlans.sample().sealed())
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(replacement.0), "\(replacement.0)")
        let editedPath = try Self.file(text.replacingOccurrences(of: replacement.0, with: replacement.1))
        try Self.expectSameOutcome(editedPath, streamed: false)
    }

    @Test(arguments: ["{\"formatVersion\": 2}", "[]", "{\"createdAt\": ", "{} {}", "{\"formatVersion\": 1}"])
    func notAPlanFailsWithTheTreesError(_ text: String) throws {
        let path = try Self.file(text)
        let fast = try #require(throws: TeprovError.self) { try PlanFile.load(path: path) }
        let tree = try #require(throws: TeprovError.self) { try PlanFile.loadTree(path: path) }
        #expect(fast.description == tree.description)
    }

    // MARK: The file as the document's text (show --format json)

    @Test(arguments: planNames)
    func aWrittenPlanIsTheTextOfItsDocument(_ name: String) throws {
        let path = try Self.written(Self.plan(named: name))
        let loaded = try PlanFile.load(path: path, checkingLayout: true)
        #expect(loaded.wasStreamed)
        #expect(loaded.fileIsDocumentText)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == loaded.document.serialized(style: .plan))
        #expect(try !PlanFile.load(path: path).fileIsDocumentText, "only checked when asked")
    }

    @Test func aLargePlanWithEscapesIsTheTextOfItsDocument() throws {
        // Well over the 64 KiB the canonical text is hashed in, so strings and escapes cross its pieces.
        var plan = PlanRendererTestPlans.creates(3000)
        plan.operations = plan.operations.enumerated().map { position, operation in
            var copy = operation
            copy.changes.append(
                AttributeChange(attribute: "title", old: .null, new: .string("say \"hi\" \\ \(position)\n\u{01}")))
            return copy
        }
        let path = try Self.written(plan.sealed())
        let loaded = try PlanFile.load(path: path, checkingLayout: true)
        #expect(loaded.digestVerified)
        #expect(loaded.fileIsDocumentText)
    }

    @Test(arguments: [
        ("\"Robert\"", "\"R\\u006fbert\""), ("\"held\":true", "\"held\": true"), ("\n  \"digest\"", "\n \"digest\""),
        ("\n}\n", "\n}"), ("\n}\n", "\n}\n\n"), ("\n", "\r\n"), ("{\n  \"createdAt\"", "\u{FEFF}{\n  \"createdAt\""),
        ("\"changes\":[]", "\"changes\":[ ]"), ("\"create\": ", "\"create\":"),
        ("\n    {\"action\"", "\n    {\n\"action\""),
    ])
    func anyOtherLayoutIsNotTheDocumentsText(_ replacement: (String, String)) throws {
        let path = try Self.written(PlanRendererTestPlans.sample().sealed())
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(replacement.0), "\(replacement.0)")
        let editedPath = try Self.file(text.replacingOccurrences(of: replacement.0, with: replacement.1))
        let loaded = try PlanFile.load(path: editedPath, checkingLayout: true)
        #expect(loaded.digestVerified)
        #expect(!loaded.fileIsDocumentText)
        #expect(Self.fingerprint(loaded.plan) == Self.fingerprint(PlanRendererTestPlans.sample().sealed()))
    }

    /// A compact file, or a plan written before the plan layout (everything indented), loads and verifies but is
    /// not the document's text: `show --format json` then prints it in the plan layout instead of copying it.
    @Test(arguments: [JSONValue.Style.compact, .pretty])
    func anotherLayoutLoadsButIsNotTheDocumentsText(_ style: JSONValue.Style) throws {
        let plan = PlanRendererTestPlans.sample().sealed()
        let path = try Self.file(plan.jsonValue().serialized(style: style))
        let loaded = try PlanFile.load(path: path, checkingLayout: true)
        #expect(loaded.wasStreamed)
        #expect(loaded.digestVerified)
        #expect(!loaded.fileIsDocumentText)
        #expect(loaded.document.serialized(style: .plan) == plan.jsonValue().serialized(style: .plan))
    }

    // MARK: Member order

    @Test(arguments: [
        ("a", "b"), ("", "a"), ("a", "a\u{00}"), ("Z", "a"), ("é", "z\u{7F}"), ("\u{E000}", "😀"),
        ("\u{FFFD}", "😀"), ("😀", "😁"), ("a😀", "a\u{FFFF}"),
    ])
    func keyOrderIsUTF16Order(_ pair: (String, String)) {
        let utf16 = pair.0.utf16.lexicographicallyPrecedes(pair.1.utf16)
        #expect(JSONKeyOrder.precedes(pair.0, pair.1) == utf16)
        #expect(JSONKeyOrder.precedes(pair.1, pair.0) == pair.1.utf16.lexicographicallyPrecedes(pair.0.utf16))
    }

    /// Every object's members in reverse order, at any depth.
    static func reversingMembers(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let values): return .array(values.map(reversingMembers))
        case .object(let members): return .object(members.reversed().map { ($0.0, reversingMembers($0.1)) })
        default: return value
        }
    }
}
