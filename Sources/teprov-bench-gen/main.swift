import Dispatch
import Foundation

/// teprov-bench-gen: deterministic benchmark data (docs/BENCHMARKS.md).

/// What writing one file produced.
struct WrittenFile: Sendable {
    let format: OutputFormat
    let bytes: Int
    let seconds: Double
}

/// The files still to write and what was written, shared by the parallel writers.
final class WorkList: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: ArraySlice<OutputFormat>
    private var files: [WrittenFile] = []
    private var errors: [String] = []

    init(_ formats: [OutputFormat]) { pending = formats[...] }

    func take() -> OutputFormat? { lock.withLock { pending.popFirst() } }
    func add(_ file: WrittenFile) { lock.withLock { files.append(file) } }
    func add(error: String) { lock.withLock { errors.append(error) } }
    var outcome: ([WrittenFile], [String]) { lock.withLock { (files, errors) } }
}

/// Writes every requested format, `options.jobs` files at a time.
func writeAll(_ options: GeneratorOptions) throws -> [WrittenFile] {
    guard NameTables.valuesNeedNoEscaping else { throw GeneratorError("a name table value needs escaping") }
    try FileManager.default.createDirectory(atPath: options.outputDirectory, withIntermediateDirectories: true)
    let population = Population(users: options.users, seed: options.seed)
    let work = WorkList(options.formats)
    let directory = options.outputDirectory
    DispatchQueue.concurrentPerform(iterations: min(options.jobs, max(1, options.formats.count))) { _ in
        while let format = work.take() {
            let start = ContinuousClock.now
            do {
                var file = try OutputFile(path: directory + "/" + format.fileName)
                format.write(population, to: &file)
                let bytes = try file.finish()
                let elapsed = ContinuousClock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                work.add(WrittenFile(format: format, bytes: bytes, seconds: seconds))
            } catch {
                work.add(error: "\(error)")
            }
        }
    }
    let (files, errors) = work.outcome
    if let error = errors.first { throw GeneratorError(error) }
    return options.formats.compactMap { format in files.first { $0.format == format } }
}

do {
    let options = try GeneratorOptions.parse(Array(CommandLine.arguments.dropFirst()))
    let start = ContinuousClock.now
    let files = try writeAll(options)
    for file in files {
        let megabytes = Double(file.bytes) / 1_000_000
        let perUser = options.users > 0 ? file.bytes / options.users : 0
        print(
            "\(file.format.fileName.padding(toLength: 20, withPad: " ", startingAt: 0)) "
                + String(format: "%9.1f MB %6d B/user %6.2f s", megabytes, perUser, file.seconds))
    }
    print("\(options.users) users, seed \(options.seed), \(options.outputDirectory): \(ContinuousClock.now - start)")
} catch let error as GeneratorError where error.description.hasPrefix("usage:") {
    print(error.description)
} catch {
    FileHandle.standardError.write(Data("teprov-bench-gen: \(error)\n".utf8))
    exit(64)
}
