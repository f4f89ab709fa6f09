import Crypto
import Foundation

/// The SHA-256 of the plan's input files (SPEC §7 `inputs`), worked out in the time the plan's other work
/// leaves over.
///
/// Hashing is about a tenth of a million-user plan's work, and it is needed only when the plan is assembled.
/// A thread of its own hashes at the scheduler's idle priority (Linux `SCHED_IDLE`): it runs only on a core
/// that nothing else wants, so it never slows reading, normalizing or reconciling, and it fills the moments
/// where one core waits for the other. Whatever is left when the hashes are needed is hashed by the threads
/// asking for them (`help()`), at their own priority.
///
/// Files are hashed a chunk at a time and shared out chunk by chunk: a file is worked on by one thread at a
/// time, and any thread may take the next chunk of a file nobody is hashing, so that no thread waits for a
/// file another thread (the idle one, say) merely started.
final class InputHashes: @unchecked Sendable {
    /// One file's hashing, guarded by `condition`'s lock except for the fields the thread that set `busy`
    /// owns until it clears it (`hasher`, `reader`).
    private final class FileHash {
        let path: String
        var hasher = SHA256()
        var reader: RawFileReader?
        var busy = false
        var result: Result<String, any Error>?

        init(path: String) { self.path = path }
    }

    private let condition = NSCondition()
    /// Largest first, so that the last file left, which a thread may wait for, is a small one.
    private let files: [FileHash]
    private var stopped = false
    /// Small enough that a thread asking for a file the idle thread holds waits little even on a machine
    /// whose other programs keep every core busy (the idle thread then gets a sliver of a core, and it lets
    /// go of the file after each chunk); large enough that the lock and the read cost nothing beside hashing.
    static let chunkSize = 1 << 20

    /// - Parameters:
    ///   - paths: the files; repeated ones are hashed once.
    ///   - background: start the idle-priority thread (else only `help()` and `sha256(_:)` hash).
    init(_ paths: [String], background: Bool = false) {
        var seen: Set<String> = []
        self.files = paths.filter { seen.insert($0).inserted }.map { ($0, ExportReader.fileSize($0)) }
            .sorted { $0.1 > $1.1 }.map { FileHash(path: $0.0) }
        if background, !files.isEmpty {
            let thread = Thread { [self] in
                ThreadPriority.lowerToIdle()
                while !isStopped, step(chunks: 1) {}
            }
            thread.name = "teprov-hash"
            thread.start()
        }
    }

    private var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    /// `true` once every file is hashed (or failed).
    var isDone: Bool {
        condition.lock()
        defer { condition.unlock() }
        return files.allSatisfy { $0.result != nil }
    }

    /// Ends the idle-priority thread after its current chunk (when the plan failed and its hashes will
    /// not be needed).
    func stop() {
        condition.lock()
        stopped = true
        condition.unlock()
    }

    /// Hashes up to `chunks` chunks of the first file that is neither hashed nor being hashed.
    /// - Returns: `false` when no such file is left.
    private func step(chunks: Int) -> Bool {
        condition.lock()
        guard let file = files.first(where: { !$0.busy && $0.result == nil }) else {
            condition.unlock()
            return false
        }
        file.busy = true
        condition.unlock()

        var finished: Result<String, any Error>?
        do {
            let reader = try file.reader ?? RawFileReader(path: file.path, chunkSize: Self.chunkSize)
            file.reader = reader
            for _ in 0..<chunks {
                guard let chunk = try reader.nextChunk() else {
                    finished = .success(SHA256Digest.hexString(file.hasher.finalize()))
                    break
                }
                file.hasher.update(bufferPointer: chunk)
            }
        } catch {
            finished = .failure(error)
        }

        condition.lock()
        file.busy = false
        if let finished {
            file.result = finished
            file.reader = nil
        }
        condition.broadcast()
        condition.unlock()
        return true
    }

    /// Hashes, at the caller's priority, until every file is hashed or being hashed by another thread.
    func help() {
        // 16 MiB per turn: a thread at normal priority need not let go of a file after each chunk.
        while step(chunks: 16) {}
    }

    /// The lower-case hex SHA-256 of an input file: helps hashing, then waits for the file's hash. A file
    /// that was not listed is hashed on the spot.
    func sha256(_ path: String) throws -> String {
        guard let file = files.first(where: { $0.path == path }) else { return try SHA256Digest.hex(ofFile: path) }
        while true {
            help()
            condition.lock()
            // Another thread holds the file: wait for its chunk, then take the next one if it is not done.
            while file.result == nil, file.busy { condition.wait() }
            let result = file.result
            condition.unlock()
            if let result { return try result.get() }
        }
    }
}
