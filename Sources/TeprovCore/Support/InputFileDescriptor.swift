#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Opening an input file the same way everywhere: one sentence naming the file when it cannot be read.
enum InputFileDescriptor {
    /// Opens `path` read-only.
    /// - Throws: `TeprovError(.io)` when the file cannot be opened or is a directory.
    static func open(_ path: String) throws -> Int32 {
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw TeprovError(.io, "cannot open the file (\(reason)); check the path and permissions", file: path)
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw TeprovError(.io, "is a directory, not a file; pass the file inside it", file: path)
        }
        return fd
    }
}
