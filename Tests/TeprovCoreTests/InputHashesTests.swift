import Foundation
import Testing

@testable import TeprovCore

struct InputHashesTests {
    private func files(_ count: Int) throws -> (directory: String, paths: [String]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("teprov-hashes-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let paths = try (0..<count).map { index -> String in
            let path = "\(directory)/input-\(index).bin"
            // Sizes around the read size, so chunks are hashed one after the other (maybe by different threads).
            let chunk = InputHashes.chunkSize
            let size = [0, 1, chunk, chunk + 1, 2 * chunk + 300_001][index % 5]
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
        return (directory, paths)
    }

    /// The expected digest, from the bytes in memory.
    private func digest(_ path: String) throws -> String {
        SHA256Digest.hex(of: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// With and without the idle-priority thread: files are shared out a chunk at a time, so a file may be
    /// begun by one thread and finished by another.
    @Test(arguments: [false, true])
    func threadsSharingTheFilesGiveEachFileItsOwnHash(background: Bool) throws {
        let (directory, paths) = try files(10)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hashes = InputHashes(paths + paths.prefix(3), background: background)
        let helper = Thread { hashes.help() }
        helper.start()
        hashes.help()
        for path in paths { #expect(try hashes.sha256(path) == digest(path), "\(path)") }
        // A file the plan did not list is hashed when asked for.
        let other = "\(directory)/other.bin"
        try Data("other".utf8).write(to: URL(fileURLWithPath: other))
        #expect(try hashes.sha256(other) == digest(other))
        #expect(
            try hashes.sha256(other) == "d9298a10d1b0735837dc4bd85dac641b0f3cef27a47e5d53a54f2f3f5b2fcffa")
    }

    @Test(arguments: [false, true])
    func aFileThatCannotBeReadGivesItsErrorToWhoeverAsks(background: Bool) throws {
        let (directory, paths) = try files(2)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let missing = "\(directory)/missing.csv"
        let hashes = InputHashes([paths[0], missing, paths[1]], background: background)
        if !background { hashes.help() }
        #expect(try hashes.sha256(paths[1]) == digest(paths[1]))
        #expect(throws: TeprovError.self) { try hashes.sha256(missing) }
    }

    /// The idle-priority thread alone hashes every file when nobody asks before it is done.
    /// (Small files: an idle-class thread gets almost no time while the other tests keep both cores busy.)
    @Test func theIdleThreadHashesEveryFileByItself() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("teprov-idle-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let paths = try (0..<4).map { index -> String in
            let path = "\(directory)/small-\(index).bin"
            try Data((0..<(index * 1000)).map { UInt8(truncatingIfNeeded: $0 &+ index) }).write(
                to: URL(fileURLWithPath: path))
            return path
        }
        let hashes = InputHashes(paths, background: true)
        let deadline = Date().addingTimeInterval(300)
        while !hashes.isDone, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(hashes.isDone)
        for path in paths { #expect(try hashes.sha256(path) == digest(path), "\(path)") }
    }

    @Test func theIdleThreadLowersOnlyItsOwnPriority() throws {
        #if os(Linux)
            final class Seen: @unchecked Sendable { var policy: Int32 = -1 }
            let seen = Seen()
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                ThreadPriority.lowerToIdle()
                seen.policy = sched_getscheduler(0)
                done.signal()
            }
            thread.start()
            done.wait()
            let policy = seen.policy
            #expect(policy == ThreadPriority.linuxIdlePolicy)
            #expect(sched_getscheduler(0) == SCHED_OTHER)
        #endif
    }
}
