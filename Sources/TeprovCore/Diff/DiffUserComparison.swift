/// Compares one user of the old snapshot with its counterpart in the new one, attribute by attribute.
struct DiffUserComparison: Sendable {
    let flattener: DiffAttributeFlattener

    /// The differing attribute paths of user `oldIndex` of `old` and user `newIndex` of `new`: `id`
    /// and `userName` first, then the others by path; empty when only ignored paths, formatting or
    /// the order of members or of plain values differ.
    func changes(old: DiffSnapshot, _ oldIndex: Int, new: DiffSnapshot, _ newIndex: Int) throws -> [DiffAttributeChange]
    {
        let oldMembers = DiffAttributeFlattener.members(
            of: try Self.parse(old, oldIndex), isThousandEyesV7: old.isThousandEyesV7)
        let newMembers = DiffAttributeFlattener.members(
            of: try Self.parse(new, newIndex), isThousandEyesV7: new.isThousandEyesV7)
        // Only the members that differ are flattened: a changed user usually differs in one or two.
        let (oldDiffering, newDiffering) = Self.differingMembers(oldMembers, newMembers)
        return Self.changes(
            old: flattener.leaves(ofMembers: oldDiffering), new: flattener.leaves(ofMembers: newDiffering))
    }

    /// The top-level members of two users without those equal on both sides (same name ignoring
    /// case, same JSON value). Both lists are returned whole when a name repeats in other letter case.
    static func differingMembers(_ old: [(String, JSONValue)], _ new: [(String, JSONValue)]) -> (
        [(String, JSONValue)], [(String, JSONValue)]
    ) {
        var oldDiffering: [(String, JSONValue)] = []
        var newDiffering: [(String, JSONValue)] = []
        if old.count == new.count, zip(old, new).allSatisfy({ $0.0 == $1.0 }), !hasRepeatedName(old) {
            // The same members in the same order: the usual case, compared pairwise.
            for (oldMember, newMember) in zip(old, new) where oldMember.1 != newMember.1 {
                oldDiffering.append(oldMember)
                newDiffering.append(newMember)
            }
            return (oldDiffering, newDiffering)
        }
        let oldNames = old.map { DiffAttributeFlattener.lowercased($0.0) }
        let newNames = new.map { DiffAttributeFlattener.lowercased($0.0) }
        guard Set(oldNames).count == old.count, Set(newNames).count == new.count else { return (old, new) }
        var oldByName: [String: Int] = [:]
        for (index, name) in oldNames.enumerated() { oldByName[name] = index }
        var oldIsEqual = [Bool](repeating: false, count: old.count)
        for (index, member) in new.enumerated() {
            if let oldIndex = oldByName[newNames[index]], old[oldIndex].1 == member.1 {
                oldIsEqual[oldIndex] = true
            } else {
                newDiffering.append(member)
            }
        }
        for (index, member) in old.enumerated() where !oldIsEqual[index] { oldDiffering.append(member) }
        return (oldDiffering, newDiffering)
    }

    /// `true` when two members' names are equal ignoring ASCII case (compared without allocating).
    private static func hasRepeatedName(_ members: [(String, JSONValue)]) -> Bool {
        for first in members.indices {
            let name = members[first].0.utf8
            for second in members.indices.dropFirst(first + 1) {
                let other = members[second].0.utf8
                if name.count == other.count
                    && name.elementsEqual(
                        other,
                        by: {
                            JSONTokenizer.asciiLowercase($0) == JSONTokenizer.asciiLowercase($1)
                        })
                {
                    return true
                }
            }
        }
        return false
    }

    /// The user's JSON as a value (its text was checked while the snapshot was read).
    static func parse(_ snapshot: DiffSnapshot, _ index: Int) throws -> JSONValue {
        let bytes = snapshot.withUserText(index) { Array($0) }
        return try JSONTokenizer(bytes: bytes, sourceName: snapshot.name).readValue()
    }

    /// The differences between two users' leaves.
    static func changes(old: [DiffLeaf], new: [DiffLeaf]) -> [DiffAttributeChange] {
        let oldSorted = sortedUnique(old)
        let newSorted = sortedUnique(new)
        var changes: [DiffAttributeChange] = []
        var oldPosition = 0
        var newPosition = 0
        while oldPosition < oldSorted.count || newPosition < newSorted.count {
            let oldLeaf = oldPosition < oldSorted.count ? oldSorted[oldPosition] : nil
            let newLeaf = newPosition < newSorted.count ? newSorted[newPosition] : nil
            if let oldLeaf, let newLeaf, oldLeaf.key == newLeaf.key {
                if !sameValue(oldLeaf.value, newLeaf.value) {
                    changes.append(DiffAttributeChange(attribute: newLeaf.path, old: oldLeaf.value, new: newLeaf.value))
                }
                oldPosition += 1
                newPosition += 1
            } else if let oldLeaf, newLeaf.map({ precedes(oldLeaf.key, $0.key) }) ?? true {
                changes.append(DiffAttributeChange(attribute: oldLeaf.path, old: oldLeaf.value, new: nil))
                oldPosition += 1
            } else if let newLeaf {
                changes.append(DiffAttributeChange(attribute: newLeaf.path, old: nil, new: newLeaf.value))
                newPosition += 1
            }
        }
        // Identity first: a renamed user reads `userName: "old" → "new"` before anything else.
        let identity = changes.filter { isIdentity($0.attribute) }.sorted { rank($0.attribute) < rank($1.attribute) }
        return identity + changes.filter { !isIdentity($0.attribute) }
    }

    /// `true` when two values are the same: plain-value arrays ignoring order, numbers by value,
    /// strings exactly (letter case counts; canonically equivalent Unicode is equal).
    static func sameValue(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.array(let left), .array(let right)):
            guard left.count == right.count else { return false }
            if left == right { return true }
            let canonical = { (values: [JSONValue]) in values.map { $0.serialized(style: .canonical) }.sorted() }
            return canonical(left) == canonical(right)
        case (.int(let integer), .double(let number)), (.double(let number), .int(let integer)):
            return Double(integer) == number
        default:
            return lhs == rhs
        }
    }

    /// Leaves sorted by key; of leaves sharing a key (a member repeated in other letter case), the first.
    private static func sortedUnique(_ leaves: [DiffLeaf]) -> [DiffLeaf] {
        let sorted = leaves.enumerated().sorted { lhs, rhs in
            lhs.element.key == rhs.element.key ? lhs.offset < rhs.offset : precedes(lhs.element.key, rhs.element.key)
        }
        var unique: [DiffLeaf] = []
        unique.reserveCapacity(sorted.count)
        for (_, leaf) in sorted where unique.last?.key != leaf.key { unique.append(leaf) }
        return unique
    }

    @inline(__always)
    private static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    private static func isIdentity(_ attribute: String) -> Bool { rank(attribute) < 2 }

    private static func rank(_ attribute: String) -> Int {
        switch DiffAttributeFlattener.lowercased(attribute) {
        case "id": return 0
        case "username": return 1
        default: return 2
        }
    }
}
