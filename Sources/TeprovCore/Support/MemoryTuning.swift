#if canImport(Glibc)
    import Glibc
#endif

/// How the C allocator is asked to hand memory back, and to use huge pages.
public enum MemoryTuning {
    /// The glibc tunable that makes `malloc` ask for transparent huge pages (`madvise(MADV_HUGEPAGE)` on the
    /// memory it maps; glibc 2.35 and later, ignored by older ones).
    static let hugePageTunable = "glibc.malloc.hugetlb=1"

    /// Restarts the process (same executable, arguments and descriptors) with `GLIBC_TUNABLES` set to
    /// `hugePageTunable`, unless `GLIBC_TUNABLES` is already set (then, or when the restart fails, it returns).
    ///
    /// A million-user plan touches about 2 GB of fresh memory: in 4 KiB pages that is half a million page
    /// faults, and its hash tables miss the TLB on nearly every probe. With huge pages (the kernel's
    /// transparent huge pages are usually in `madvise` mode, so a program has to ask) `plan` on 1,000,000
    /// users takes about 0.8 s less CPU and 0.5 s less time (6 rounds each, interleaved: median 7.54 s →
    /// 7.00 s), with half the page faults, at the same peak RSS; `show --format json` of that plan about 0.2 s
    /// less (7 rounds each: median 3.01 s → 2.82 s in a slow phase). `plan`, `show`, `apply` and `diff` call
    /// this first. glibc reads its tunables only when a process starts, hence the restart. Setting
    /// `GLIBC_TUNABLES` (even to an empty string) turns this off.
    ///
    /// Only for large inputs: `paths` (the files the command will read; `nil`s and missing files count 0) must hold
    /// at least `hugePageInputBytes` together. A small run gains nothing from huge pages and would pay for the
    /// restart (about 15 ms) and for whole 2 MiB pages: `plan` on 100,000 users (112 MB of inputs) is about 25 ms
    /// faster without (12 paired runs, faster in 8).
    public static func restartWithHugePages(forInputs paths: [String?]) {
        #if os(Linux)
            guard getenv("GLIBC_TUNABLES") == nil else { return }
            guard pays(forInputBytes: inputBytes(paths)) else { return }
            guard setenv("GLIBC_TUNABLES", hugePageTunable, 1) == 0 else { return }
            let arguments = CommandLine.unsafeArgv
            execv("/proc/self/exe", arguments)
            // Still here: the restart failed; go on as we are, without the variable.
            unsetenv("GLIBC_TUNABLES")
        #endif
    }

    /// Inputs from this size on restart with huge pages: a 1,000,000-user plan reads 1.1 GB and its plan file
    /// is 227 MB; a 100,000-user plan reads 112 MB.
    static let hugePageInputBytes = 128 << 20

    /// `true` when inputs of `bytes` are large enough for huge pages to pay.
    static func pays(forInputBytes bytes: Int) -> Bool { bytes >= hugePageInputBytes }

    /// The sizes of the files at `paths` together (`nil` and what cannot be stat'ed count 0).
    static func inputBytes(_ paths: [String?]) -> Int {
        paths.reduce(0) { total, path in total + (path.map(ExportReader.fileSize) ?? 0) }
    }

    /// Makes glibc serve every block of 1 MiB or more with its own mapping, returned to the system as soon as
    /// it is freed. By default glibc raises that threshold each time such a block is freed (up to 32 MiB), after
    /// which large arrays come from the heaps of the threads that made them, and the freed space there is kept
    /// but usable only by that thread. `plan` builds and frees arrays of a million entries on several threads;
    /// with the fixed threshold its peak RSS on 1,000,000 users is about 55 MB lower, at the same speed.
    ///
    /// `mallopt` is not in Swift's Glibc module, so it is looked up by name; elsewhere this does nothing.
    public static func returnLargeBlocksToTheSystem() {
        #if canImport(Glibc)
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in <malloc.h>
            _ = mallopt(mmapThreshold, 1 << 20)
        #endif
    }
}
