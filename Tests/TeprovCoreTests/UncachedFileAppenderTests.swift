import Foundation
import Testing

@testable import TeprovCore

#if canImport(Glibc)
    import Glibc
#endif

struct UncachedFileAppenderTests {
    /// A new empty file in a directory of its own; removed by `remove`.
    private func newFile() -> (path: String, descriptor: Int32) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("teprov-uncached-\(UUID())").path
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/out"
        return (path, open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644))
    }

    private func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    /// Bytes that differ from one position to the next, so that a misplaced block shows.
    private func pattern(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 131) ^ ($0 >> 9) ^ seed) }
    }

    @Test(arguments: [true, false])
    func everyByteLandsInOrderWhateverTheSizesOfTheAppends(_ direct: Bool) throws {
        let (path, descriptor) = newFile()
        defer { remove(path) }
        #expect(descriptor >= 0)
        // Capacity of two blocks: appends smaller than, equal to and larger than a block and than the buffer,
        // so writes leave remainders of every size.
        let appender = UncachedFileAppender(descriptor: descriptor, capacity: 8192, direct: direct)
        var expected: [UInt8] = []
        let sizes = [0, 1, 4095, 4096, 4097, 8191, 8192, 8193, 20_000, 3, 12_288, 1, 65_537]
        for (round, size) in sizes.enumerated() {
            let bytes = pattern(size, seed: round)
            bytes.withUnsafeBytes { appender.append($0) }
            expected += bytes
        }
        #expect(appender.finish() == nil)
        #expect(!appender.writesDirectly)
        close(descriptor)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == expected)
    }

    @Test func aWriteAtAnOffsetAfterFinishingChangesOnlyThoseBytes() throws {
        // The plan's digest is written this way, into a block that went to the device directly.
        let (path, descriptor) = newFile()
        defer { remove(path) }
        let appender = UncachedFileAppender(descriptor: descriptor, capacity: 4096)
        var expected = pattern(3 * 4096 + 100, seed: 7)
        expected.withUnsafeBytes { appender.append($0) }
        #expect(appender.finish() == nil)
        let digest = Array(String(repeating: "ab", count: 32).utf8)
        let written = digest.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, 64, 4000) }
        #expect(written == 64)
        #expect(fsync(descriptor) == 0)
        close(descriptor)
        expected.replaceSubrange(4000..<4064, with: digest)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == expected)
    }

    @Test func aFileSmallerThanABlockIsWrittenWhole() throws {
        let (path, descriptor) = newFile()
        defer { remove(path) }
        let appender = UncachedFileAppender(descriptor: descriptor)
        let bytes = Array("{\"operations\": []}\n".utf8)
        bytes.withUnsafeBytes { appender.append($0) }
        #expect(appender.finish() == nil)
        close(descriptor)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == bytes)
    }

    @Test func aFailedWriteIsReportedAndNothingIsWrittenAfterIt() {
        // A read-only descriptor: the first write fails with EBADF.
        let (path, descriptor) = newFile()
        defer { remove(path) }
        close(descriptor)
        let readOnly = open(path, O_RDONLY | O_CLOEXEC)
        defer { close(readOnly) }
        let appender = UncachedFileAppender(descriptor: readOnly, capacity: 4096)
        let bytes = pattern(10_000, seed: 1)
        bytes.withUnsafeBytes { appender.append($0) }
        #expect(appender.failure == EBADF)
        #expect(appender.finish() == EBADF)
    }
}
