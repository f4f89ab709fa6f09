/// Which source users matched each target, in matching order: the first claimer per target in a flat
/// array, later ones (a contested target, rare) beside it.
struct TargetClaims {
    /// The first user claiming each target, or -1.
    private var first: [Int32]
    private var later: [Int: [Int]] = [:]

    init(targets: Int) {
        first = Array(repeating: -1, count: targets)
    }

    mutating func append(_ user: Int, to target: Int) {
        if first[target] == -1 {
            first[target] = Int32(truncatingIfNeeded: user)
        } else {
            later[target, default: []].append(user)
        }
    }

    func isEmpty(_ target: Int) -> Bool { first[target] == -1 }

    /// The claiming users of `target`, in claiming order.
    subscript(target: Int) -> [Int] {
        guard first[target] != -1 else { return [] }
        return [Int(first[target])] + (later[target] ?? [])
    }

    /// The targets claimed more than once, in target order.
    var contested: [Int] { later.keys.sorted() }
}
