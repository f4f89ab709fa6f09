import Foundation

/// The users of an offline apply (SPEC §8 "Offline"), kept cheaply enough for a million: the
/// snapshot's text once, each user as the byte range of its JSON there until a request changes it,
/// and indexes by `id`, by userName (ignoring case) and by externalId. A user is parsed into a
/// `JSONValue` only when a request touches it; untouched users are answered and written out as the
/// snapshot's own bytes.
///
/// Not synchronized: `OfflineSCIMTarget` holds it under a lock.
struct OfflineUserStore {
    /// Where one user's current resource lives.
    enum Slot {
        /// Untouched: the snapshot's text in this range.
        case original(Range<Int>)
        /// Created or changed by a request.
        case changed(JSONValue)
        /// Deleted by a request.
        case deleted
    }

    /// The snapshot's text (UTF-8).
    let text: [UInt8]
    /// Users in snapshot order, then created ones in creation order.
    private(set) var slots: [Slot]
    private var byID: [String: Int32]
    private var byUserName: OfflineKeyIndex
    private var byExternalID: OfflineKeyIndex
    /// Live slots in order, rebuilt after a create or delete (paging reads it page after page).
    private var liveOrderCache: [Int32]?
    private(set) var liveCount: Int
    /// Users created so far (numbers the `offline-<n>` ids).
    var createdCount = 0
    /// The SCIM base URL the snapshot came from, for `meta.location` of created users.
    let locationBase: String?

    /// - Parameters:
    ///   - text: the snapshot's text that `ranges` point into.
    ///   - users: the snapshot's users, in order; `ranges[i]` is where `users[i]`'s JSON lies in `text`.
    ///   - locationBase: the snapshot's source URL, when known.
    init(text: [UInt8], users: [TargetUser], ranges: [Range<Int>], locationBase: String?) {
        self.text = text
        self.locationBase = locationBase
        var slots: [Slot] = []
        slots.reserveCapacity(users.count)
        var byID: [String: Int32] = [:]
        byID.reserveCapacity(users.count)
        var byUserName = OfflineKeyIndex(capacity: users.count)
        var byExternalID = OfflineKeyIndex(capacity: users.count)
        for (index, user) in users.enumerated() {
            let slot = Int32(truncatingIfNeeded: index)
            slots.append(.original(ranges[index]))
            byID[user.id] = slot
            if let userName = user.userName { byUserName.insert(Self.userNameKey(userName), slot) }
            if let externalId = user.externalId { byExternalID.insert(externalId, slot) }
        }
        self.slots = slots
        self.byID = byID
        self.byUserName = byUserName
        self.byExternalID = byExternalID
        self.liveCount = users.count
    }

    // MARK: Lookups

    /// The live slot of the user with this `id`.
    func slot(id: String) -> Int? {
        byID[id].map(Int.init)
    }

    /// Live slots whose userName equals `userName` ignoring case (SCIM's userName is not case-exact).
    func slots(userName: String) -> [Int] {
        byUserName.slots(Self.userNameKey(userName))
    }

    /// Live slots whose externalId equals `externalId` exactly.
    func slots(externalId: String) -> [Int] {
        byExternalID.slots(TextNormalization.normalize(externalId) ?? externalId)
    }

    /// Live slots in order.
    mutating func liveSlots() -> [Int32] {
        if let cached = liveOrderCache { return cached }
        var order: [Int32] = []
        order.reserveCapacity(liveCount)
        for (index, slot) in slots.enumerated() {
            if case .deleted = slot { continue }
            order.append(Int32(truncatingIfNeeded: index))
        }
        liveOrderCache = order
        return order
    }

    /// The resource at a live slot, parsed.
    /// - Throws: `OfflineSCIMError` (500) if the snapshot's text no longer parses (it did when read).
    func resource(at slot: Int) throws(OfflineSCIMError) -> JSONValue {
        switch slots[slot] {
        case .changed(let resource):
            return resource
        case .original(let range):
            guard let value = try? JSONTokenizer(bytes: Array(text[range]), sourceName: "snapshot").readValue() else {
                throw OfflineSCIMError(
                    status: 500, scimType: nil, detail: "the snapshot's user could not be read again")
            }
            return value
        case .deleted:
            throw OfflineSCIMError(status: 500, scimType: nil, detail: "the user was deleted")
        }
    }

    /// Appends the JSON text of a live slot: the snapshot's bytes when untouched.
    func appendJSON(at slot: Int, to output: inout [UInt8], style: JSONValue.Style = .compact, depth: Int = 0) {
        switch slots[slot] {
        case .original(let range): output.append(contentsOf: text[range])
        case .changed(let resource): resource.write(into: &output, style: style, depth: depth)
        case .deleted: output.append(contentsOf: "null".utf8)
        }
    }

    // MARK: Changes

    /// Stores `resource` as the new state of a live slot, re-indexing its userName and externalId.
    mutating func replace(at slot: Int, old: JSONValue, with resource: JSONValue) {
        unindex(old, slot: slot)
        slots[slot] = .changed(resource)
        index(resource, slot: slot)
    }

    /// Adds a created user; returns its slot.
    @discardableResult
    mutating func append(_ resource: JSONValue) -> Int {
        let slot = slots.count
        slots.append(.changed(resource))
        index(resource, slot: slot)
        liveCount += 1
        liveOrderCache = nil
        return slot
    }

    /// Deletes a live slot.
    mutating func remove(at slot: Int, old: JSONValue) {
        unindex(old, slot: slot)
        slots[slot] = .deleted
        liveCount -= 1
        liveOrderCache = nil
    }

    private mutating func index(_ resource: JSONValue, slot: Int) {
        let position = Int32(truncatingIfNeeded: slot)
        if let id = SCIMMembers.string("id", in: resource) { byID[id] = position }
        if let userName = Self.text(of: "userName", in: resource) {
            byUserName.insert(Self.userNameKey(userName), position)
        }
        if let externalId = Self.text(of: "externalId", in: resource) { byExternalID.insert(externalId, position) }
    }

    private mutating func unindex(_ resource: JSONValue, slot: Int) {
        let position = Int32(truncatingIfNeeded: slot)
        if let id = SCIMMembers.string("id", in: resource), byID[id] == position { byID[id] = nil }
        if let userName = Self.text(of: "userName", in: resource) {
            byUserName.remove(Self.userNameKey(userName), position)
        }
        if let externalId = Self.text(of: "externalId", in: resource) { byExternalID.remove(externalId, position) }
    }

    /// A member's text as `SnapshotReader` reads it (NFC, trimmed; numbers and booleans as text),
    /// so keys computed from a parsed resource equal those computed at load time.
    static func text(of member: String, in resource: JSONValue) -> String? {
        switch SCIMMembers.value(member, in: resource) {
        case .string(let text)?: return TextNormalization.normalize(text)
        case .int(let number)?: return String(number)
        case .double(let number)?: return JSONValue.numberText(number)
        case .bool(let flag)?: return flag ? "True" : "False"
        default: return nil
        }
    }

    /// The key userNames are indexed under: normalized and lower-cased, as the snapshot reader
    /// compares them.
    static func userNameKey(_ userName: String) -> String {
        SnapshotChecks.caseFolded(TextNormalization.normalize(userName) ?? userName)
    }
}

/// Text keys to slots where a key usually names one slot (externalIds may repeat): one dictionary
/// entry per key, and a list only for the keys that repeat.
struct OfflineKeyIndex {
    private var first: [String: Int32]
    private var more: [String: [Int32]] = [:]

    init(capacity: Int) {
        first = [:]
        first.reserveCapacity(capacity)
    }

    mutating func insert(_ key: String, _ slot: Int32) {
        if first[key] == nil {
            first[key] = slot
        } else {
            more[key, default: []].append(slot)
        }
    }

    mutating func remove(_ key: String, _ slot: Int32) {
        if first[key] == slot {
            if var rest = more[key], !rest.isEmpty {
                first[key] = rest.removeFirst()
                more[key] = rest.isEmpty ? nil : rest
            } else {
                first[key] = nil
            }
        } else if var rest = more[key], let index = rest.firstIndex(of: slot) {
            rest.remove(at: index)
            more[key] = rest.isEmpty ? nil : rest
        }
    }

    /// The slots under `key`, in order.
    func slots(_ key: String) -> [Int] {
        guard let head = first[key] else { return [] }
        return ([head] + (more[key] ?? [])).map(Int.init).sorted()
    }
}
