#if canImport(Glibc)
    import Glibc
#endif

/// How the C allocator is asked to hand memory back.
public enum MemoryTuning {
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
