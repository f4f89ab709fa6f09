/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast, well-mixed 64-bit generator whose whole
/// state is one `UInt64`, so every generated user can have its own stream derived from the seed.
struct SplitMix64 {
    private(set) var state: UInt64

    init(seed: UInt64) { state = seed }

    /// The generator for item `index` of stream `stream`: the seed and both numbers are hashed
    /// together, so streams do not overlap and user `i` does not depend on users before it.
    init(seed: UInt64, stream: UInt64, index: UInt64) {
        state = SplitMix64.mix(seed &+ SplitMix64.mix(stream &+ SplitMix64.mix(index)))
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// A number in `0..<bound` (Lemire's multiply-high, bias below 2^-50 for our bounds).
    mutating func next(below bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A number in `[0, 1)` with 53 random bits.
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// SplitMix64's output function: a bijective avalanche of 64 bits.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
