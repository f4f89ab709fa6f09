import Foundation
import Testing

@testable import TeprovCore

struct MemoryTuningTests {
    @Test func inputBytesAddUpTheFilesAndCountMissingOnesAsNothing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("teprov-tuning-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(count: 1000).write(to: URL(fileURLWithPath: directory + "/a"))
        try Data(count: 234).write(to: URL(fileURLWithPath: directory + "/b"))
        #expect(MemoryTuning.inputBytes([directory + "/a", nil, directory + "/b", directory + "/missing"]) == 1234)
        #expect(MemoryTuning.inputBytes([]) == 0)
    }

    @Test func onlyLargeInputsRestartWithHugePages() {
        // A 100,000-user plan reads 112 MB; a 1,000,000-user one 1.1 GB, and its plan file is 227 MB.
        #expect(!MemoryTuning.pays(forInputBytes: 112_000_000))
        #expect(MemoryTuning.pays(forInputBytes: 227_000_000))
        #expect(MemoryTuning.pays(forInputBytes: 1_130_000_000))
        #expect(MemoryTuning.pays(forInputBytes: MemoryTuning.hugePageInputBytes))
        #expect(!MemoryTuning.pays(forInputBytes: MemoryTuning.hugePageInputBytes - 1))
    }
}
