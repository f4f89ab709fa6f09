/// The snapshot's users indexed the way the reconciler looks them up (SPEC §6): by externalId (exact), by
/// userName and by identity e-mail (work e-mail, else userName; both ignoring case), and which of them
/// teprov manages. Built once per plan, possibly while the exports are still being read.
struct TargetIndexes: Sendable {
    let byExternalId: TextIndex
    let byUserName: TextIndex
    let byIdentityEmail: TextIndex
    let managed: [Bool]
    /// The number of targets indexed.
    let count: Int

    init(targets: [TargetUser], externalIdPattern: String) {
        let ownership = OwnershipRule(pattern: externalIdPattern)
        var byExternalId = TextIndex(capacity: targets.count, ignoringCase: false)
        var byUserName = TextIndex(capacity: targets.count, ignoringCase: true)
        var byIdentityEmail = TextIndex(capacity: targets.count, ignoringCase: true)
        var managed = Array(repeating: false, count: targets.count)
        // Targets go in blocks: the keys' hashes are worked out and their table slots prefetched for the whole
        // block, then the keys are inserted, so the cache misses of a block overlap (nearly every insert into
        // a table of a million keys misses; they were three quarters of the time).
        let block = PrefetchBlock.size
        var hashes = [UInt64?](repeating: nil, count: block * 3)
        // Each target's identity (work e-mail, else userName), found once per target.
        var identities = [String?](repeating: nil, count: block)
        targets.withUnsafeBufferPointer { targets in
            var start = 0
            while start < targets.count {
                let end = min(start + block, targets.count)
                for index in start..<end {
                    let slot = (index - start) * 3
                    hashes[slot] = targets[index].externalId.flatMap { byExternalId.asciiHash($0) }
                    hashes[slot + 1] = targets[index].userName.flatMap { byUserName.asciiHash($0) }
                    identities[index - start] = targets[index].workEmail ?? targets[index].userName
                    hashes[slot + 2] = identities[index - start].flatMap { byIdentityEmail.asciiHash($0) }
                    if let hash = hashes[slot] { byExternalId.prefetch(asciiHash: hash) }
                    if let hash = hashes[slot + 1] { byUserName.prefetch(asciiHash: hash) }
                    if let hash = hashes[slot + 2] { byIdentityEmail.prefetch(asciiHash: hash) }
                }
                for index in start..<end {
                    let slot = (index - start) * 3
                    if let externalId = targets[index].externalId {
                        byExternalId.insert(index, key: externalId, asciiHash: hashes[slot]) { targets[$0].externalId }
                        managed[index] = ownership.isManaged(externalId)
                    }
                    if let userName = targets[index].userName {
                        byUserName.insert(index, key: userName, asciiHash: hashes[slot + 1]) { targets[$0].userName }
                    }
                    if let identity = identities[index - start] {
                        byIdentityEmail.insert(index, key: identity, asciiHash: hashes[slot + 2]) {
                            targets[$0].workEmail ?? targets[$0].userName
                        }
                    }
                }
                start = end
            }
        }
        self.byExternalId = byExternalId
        self.byUserName = byUserName
        self.byIdentityEmail = byIdentityEmail
        self.managed = managed
        self.count = targets.count
    }
}
