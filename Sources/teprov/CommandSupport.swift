import ArgumentParser
import TeprovCore

#if canImport(Glibc)
    import Glibc
#endif

/// Writes to stderr without buffering surprises.
enum StandardError {
    static func write(_ text: String) {
        var line = text
        if !line.hasSuffix("\n") { line += "\n" }
        writeAll(2, line)
    }
}

/// Writes every byte of `text` to a file descriptor (retrying short writes).
func writeAll(_ descriptor: Int32, _ text: String) {
    DescriptorWrite.all(Array(text.utf8), to: descriptor)
}

/// Writes a command's result to stdout.
enum StandardOutput {
    static func write(_ text: String) {
        writeAll(1, text)
    }
}

extension TeprovError {
    /// Prints the error as one sentence on stderr and turns it into the exit code of SPEC §1.
    func exit() -> ExitCode {
        StandardError.write("teprov: \(description)")
        return ExitCode(exitCode)
    }
}

/// Ends the process once a command's result is written (stdout and stderr go through write(2), so nothing
/// is buffered). A plan of a million users holds gigabytes of small objects; freeing them one by one on
/// the way out took seconds that nobody waits for.
func finishProcess(_ status: Int32) -> Never {
    exit(status)
}
