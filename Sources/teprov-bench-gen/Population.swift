/// The generated directory: `users` people derived from `seed`. Person `i` is a pure function of
/// `(seed, i)`, so every output format can regenerate it on the fly, in any order, with constant
/// memory, and all formats agree. Shares and their meaning are in docs/BENCHMARKS.md.
struct Population: Sendable {
    let users: Int
    let seed: UInt64

    /// Groups that carry the group-based assignments (one per 10,000 users, at least one).
    var groupCount: Int { max(1, (users + 9_999) / 10_000) }

    /// One snapshot-only orphan and one unmanaged user follow every `extrasInterval`-th person.
    static let extrasInterval = 200

    // Streams of the generator (one per kind of thing, so adding a draw to one does not shift another).
    static let userStream: UInt64 = 1
    static let groupStream: UInt64 = 2
    static let orphanStream: UInt64 = 3
    static let assignmentIDStream: UInt64 = 4

    /// The person at `index`.
    func user(_ index: Int) -> GeneratedUser {
        var random = SplitMix64(seed: seed, stream: Population.userStream, index: UInt64(index))
        let id = GUID.random(using: &random)
        let given = random.next(below: NameTables.givenNames.count)
        let surname = random.next(below: NameTables.surnames.count)
        let formerSurname = random.next(below: NameTables.surnames.count)
        let department = random.next(below: NameTables.departments.count)
        let jobTitle = random.next(below: NameTables.jobTitles.count)
        let site = random.next(below: NameTables.sites.count)
        let enabled = random.nextUnit() >= 0.02
        let guest = random.nextUnit() < 0.01
        let assignmentDraw = random.nextUnit()
        let admin = random.nextUnit() < 0.05
        let group = random.next(below: groupCount)
        let snapshotDraw = random.nextUnit()
        let createdDay = random.next(below: 6 * 365)
        let createdSecond = random.next(below: 86_400)

        let assignment: GeneratedUser.Assignment
        if assignmentDraw < 0.90 {
            assignment = .direct(admin ? .admin : .user)
        } else if assignmentDraw < 0.95 {
            assignment = .defaultAccessOnly
        } else {
            assignment = .group(group)
        }
        let snapshot: GeneratedUser.SnapshotState
        switch snapshotDraw {
        case ..<0.03: snapshot = .driftedDisplayName
        case ..<0.04: snapshot = .renamed
        case ..<0.05: snapshot = .inactive
        case ..<0.85: snapshot = .identical
        default: snapshot = .absent
        }
        return GeneratedUser(
            index: index, id: id, given: NameTables.givenNames[given], surname: NameTables.surnames[surname],
            formerSurname: NameTables.surnames[
                (surname + 1 + formerSurname % (NameTables.surnames.count - 1))
                    % NameTables.surnames.count],
            department: NameTables.departments[department], jobTitle: NameTables.jobTitles[jobTitle],
            site: NameTables.sites[site], enabled: enabled, guest: guest, assignment: assignment, snapshot: snapshot,
            createdDay: createdDay, createdSecond: createdSecond)
    }

    /// The id of group `index`.
    func groupID(_ index: Int) -> GUID {
        var random = SplitMix64(seed: seed, stream: Population.groupStream, index: UInt64(index))
        return GUID.random(using: &random)
    }

    /// The externalId of snapshot-only orphan `index` (a managed id of a person no longer in the directory).
    func orphanExternalID(_ index: Int) -> GUID {
        var random = SplitMix64(seed: seed, stream: Population.orphanStream, index: UInt64(index))
        return GUID.random(using: &random)
    }

    /// A Graph appRoleAssignment id (43 base64url characters) for assignment `index`.
    func assignmentID(_ index: Int) -> [UInt8] {
        var random = SplitMix64(seed: seed, stream: Population.assignmentIDStream, index: UInt64(index))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 {
            let word = random.next()
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return Base64.encodeURLSafe(bytes)
    }

    /// Number of snapshot-only extras of each kind (orphans, unmanaged).
    var extrasPerKind: Int { users / Population.extrasInterval }
}

/// One generated person and what the generated ThousandEyes snapshot and assignments say about them.
struct GeneratedUser: Sendable {
    enum Role: Sendable { case user, admin }
    enum Assignment: Sendable {
        case direct(Role)
        case defaultAccessOnly
        case group(Int)
    }
    enum SnapshotState: Sendable { case absent, identical, driftedDisplayName, renamed, inactive }

    let index: Int
    let id: GUID
    let given: NameTables.Name
    let surname: NameTables.Name
    /// The surname ThousandEyes still has for a renamed person.
    let formerSurname: NameTables.Name
    let department: String
    let jobTitle: String
    let site: NameTables.Site
    let enabled: Bool
    let guest: Bool
    let assignment: Assignment
    let snapshot: SnapshotState
    /// Days after 2019-01-01 and second of that day the account was created.
    let createdDay: Int
    let createdSecond: Int
}
