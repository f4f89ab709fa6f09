import Foundation

/// The SHA-256 of the plan's input files, shared out between the threads that have time for it: the second
/// core takes files once the snapshot is indexed, the first once the exports are read, so that whichever
/// finishes its reading first hashes more (hashing is a tenth of a million-user plan's work, and either core
/// alone would leave the other waiting). A file is hashed once, by one thread.
final class InputHashes: @unchecked Sendable {
    private let condition = NSCondition()
    private let paths: [String]
    /// The next file of `paths` nobody took yet.
    private var next = 0
    private var results: [String: Result<String, any Error>] = [:]

    /// - Parameter paths: the files, repeated ones hashed once; the largest are taken first, so that the
    ///   last file hashed, which the other thread may wait for, is a small one.
    init(_ paths: [String]) {
        var seen: Set<String> = []
        self.paths = paths.filter { seen.insert($0).inserted }.map { ($0, ExportReader.fileSize($0)) }
            .sorted { $0.1 > $1.1 }.map(\.0)
    }

    /// Hashes files until none is left to take.
    func help() {
        while let path = take() {
            let result = Result { try SHA256Digest.hex(ofFile: path) }
            condition.lock()
            results[path] = result
            condition.broadcast()
            condition.unlock()
        }
    }

    private func take() -> String? {
        condition.lock()
        defer { condition.unlock() }
        guard next < paths.count else { return nil }
        next += 1
        return paths[next - 1]
    }

    /// The lower-case hex SHA-256 of an input file: helps hashing, then waits for the file's hash.
    func sha256(_ path: String) throws -> String {
        guard paths.contains(path) else { return try SHA256Digest.hex(ofFile: path) }
        help()
        condition.lock()
        while results[path] == nil { condition.wait() }
        let result = results[path].unsafelyUnwrapped
        condition.unlock()
        return try result.get()
    }
}
