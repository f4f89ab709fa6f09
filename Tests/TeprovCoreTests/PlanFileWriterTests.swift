import Foundation
import Testing

@testable import TeprovCore

/// `PlanFile.writeSealing` serializes a plan once, hashing its canonical form on the way: the file and
/// the digest must be exactly what sealing first and writing the JSON in the plan layout after gave.
@Suite struct PlanFileWriterTests {
    static func temporaryPath() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("teprov-writer-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("plan.json").path
    }

    /// What the two-pass writer produced: `sealed()`, then the serialization in the plan layout.
    static func twoPass(_ plan: Plan) -> (digest: String, bytes: [UInt8]) {
        let sealed = plan.sealed()
        return (sealed.digest, Array(sealed.jsonValue().serialized(style: .plan).utf8))
    }

    static func check(_ plan: Plan, _ comment: Comment) throws {
        var unsealed = plan
        unsealed.digest = ""
        let expected = twoPass(unsealed)
        let path = try temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }

        let sealed = try PlanFile.writeSealing(unsealed, to: path)
        #expect(sealed.digest == expected.digest, comment)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == expected.bytes, comment)
        let loaded = try PlanFile.load(path: path)
        #expect(loaded.digestVerified, comment)
        #expect(loaded.plan.digest == expected.digest, comment)

        try PlanFile.write(sealed, to: path)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == expected.bytes, comment)
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp-\(getpid())"))
    }

    @Test(arguments: PlanScenario.all)
    func sealingWhileWritingEqualsSealingThenWriting(_ scenario: PlanScenario) throws {
        if try scenario.expectedError() != nil { return }
        try Self.check(try PlanPipeline.run(try scenario.options()).plan, "\(scenario.name)")
    }

    /// Every request body and change value the reconciler builds already has its members in RFC 8785 order
    /// at every level (the writer would otherwise sort them, per operation): creates, PATCHes (with the whole
    /// `emails` array), PUTs (`update-method-put`, started from the snapshot's resource) and legacy PATCHes.
    @Test(arguments: PlanScenario.all)
    func requestBodiesAreBuiltInCanonicalOrder(_ scenario: PlanScenario) throws {
        if try scenario.expectedError() != nil { return }
        func isCanonical(_ value: JSONValue) -> Bool {
            switch value {
            case .array(let values): return values.allSatisfy(isCanonical)
            case .object(let members):
                return JSONValue.isInCanonicalOrder(members) && members.allSatisfy { isCanonical($0.1) }
            default: return true
            }
        }
        for operation in try PlanPipeline.run(try scenario.options()).plan.operations {
            #expect(isCanonical(operation.request.body ?? .null), "\(scenario.name) \(operation.id)")
            for change in operation.changes {
                #expect(isCanonical(change.new) && isCanonical(change.old), "\(scenario.name) \(operation.id)")
            }
        }
    }

    /// Past `operationChunkSize` operations, chunks are serialized on two threads and written in order:
    /// the bytes and the digest are still those of the one-pass serialization. Every kind of operation of the
    /// sample plan (with bodies, changes, preconditions, held ones) is repeated over several chunks, with a
    /// last chunk that is not full.
    @Test func operationsSerializedInChunksOnTwoThreadsGiveTheSameFileAndDigest() throws {
        var plan = PlanRendererTestPlans.sample()
        let kinds = plan.operations
        let count = PlanFileWriter.operationChunkSize * 5 + 7
        plan.operations = (0..<count).map { index in
            var operation = kinds[index % kinds.count]
            operation.id = PlanOrdering.opId(index + 1)
            return operation
        }
        try Self.check(plan, "chunked operations")
        // The chunked path really ran: a plan of one chunk or less takes the one-thread path.
        #expect(plan.operations.count > 2 * PlanFileWriter.operationChunkSize)
    }

    /// Objects built out of canonical order (here a change's e-mail object) are sorted for both texts:
    /// the digest still covers the canonical form, and the file still streams.
    @Test func anObjectOutOfCanonicalOrderIsSortedInTheFileAndTheDigest() throws {
        var plan = PlanRendererTestPlans.sample()
        plan.digest = ""
        let path = try Self.temporaryPath()
        let sealed = try PlanFile.writeSealing(plan, to: path)
        #expect(sealed.digest == plan.computeDigest())
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let primary = try #require(text.range(of: "\"primary\":true"))
        let type = try #require(text.range(of: "\"type\":\"work\""))
        #expect(primary.lowerBound < type.lowerBound)
        let loaded = try PlanFile.load(path: path)
        #expect(loaded.digestVerified)
        #expect(loaded.wasStreamed)
    }

    @Test func anUnwritableDirectoryIsAnIOErrorAndLeavesNothing() throws {
        let path = try Self.temporaryPath()
        let missing = (path as NSString).deletingLastPathComponent + "/absent/plan.json"
        let error = try #require(throws: TeprovError.self) {
            try PlanFile.writeSealing(PlanRendererTestPlans.sample(), to: missing)
        }
        #expect(error.exitCode == TeprovError(.io, "x").exitCode)
        #expect(error.description.contains("absent/plan.json"))
    }
}
