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
        for index in targets.indices {
            if let externalId = targets[index].externalId {
                byExternalId.insert(index, key: externalId) { targets[$0].externalId }
                managed[index] = ownership.isManaged(externalId)
            }
            if let userName = targets[index].userName {
                byUserName.insert(index, key: userName) { targets[$0].userName }
            }
            if let identity = targets[index].workEmail ?? targets[index].userName {
                byIdentityEmail.insert(index, key: identity) { targets[$0].workEmail ?? targets[$0].userName }
            }
        }
        self.byExternalId = byExternalId
        self.byUserName = byUserName
        self.byIdentityEmail = byIdentityEmail
        self.managed = managed
        self.count = targets.count
    }
}
