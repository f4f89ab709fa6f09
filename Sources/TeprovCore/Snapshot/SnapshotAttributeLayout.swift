/// Where the values of requested attribute paths live in each `TargetUser`, and the lookup tables
/// the reader uses to recognise their JSON keys without allocating.
///
/// `userName`, `externalId`, `active` and every `emails[...]` path are answered from the user's own
/// fields, so only the other paths get a slot. One layout is shared by every user of a read.
final class SnapshotAttributeLayout: Sendable {
    /// A JSON member name (ASCII-lowercased, SCIM names are case-insensitive) and the slot it fills.
    struct KeyEntry: Sendable {
        let loweredName: [UInt8]
        let slot: Int
        let valueType: SCIMAttributePath.ValueType
        /// A slot that usually holds the same text (`displayName` and `name.formatted`), so the
        /// reader can share one string between them instead of allocating two.
        var twinSlot: Int?
    }

    /// A requested multi-valued attribute (`phoneNumbers`, `addresses`, ...): which entries and
    /// sub-attributes fill which slots.
    struct MultiValuedGroup: Sendable {
        struct Request: Sendable {
            let typeFilter: String
            /// Index into `loweredSubAttributes`.
            let subAttributeIndex: Int
            let slot: Int
        }
        let loweredName: [UInt8]
        let loweredSubAttributes: [[UInt8]]
        let requests: [Request]
    }

    /// Every requested path, in canonical-text order.
    let requested: [SCIMAttributePath]
    /// The paths that have a slot, by slot.
    let storedPaths: [SCIMAttributePath]
    private let slotByPath: [SCIMAttributePath: Int]

    /// Singular top-level attributes (`displayName`, `title`, ...).
    let singular: [KeyEntry]
    /// Sub-attributes of `name`.
    let nameParts: [KeyEntry]
    /// Attributes of the enterprise extension object.
    let enterpriseParts: [KeyEntry]
    let multiValued: [MultiValuedGroup]

    static let loweredEnterpriseSchema = Array(SCIMAttributePath.enterpriseSchema.lowercased().utf8)

    init(requested paths: Set<SCIMAttributePath>) {
        requested = paths.sorted { $0.description < $1.description }
        var stored: [SCIMAttributePath] = []
        var singular: [KeyEntry] = []
        var nameParts: [KeyEntry] = []
        var enterpriseParts: [KeyEntry] = []
        var groups: [String: (subs: [String], requests: [MultiValuedGroup.Request])] = [:]
        for path in requested where !Self.answeredFromFields(path) {
            let slot = stored.count
            stored.append(path)
            let sub = path.subAttribute ?? ""
            if path.attribute == "name" {
                nameParts.append(KeyEntry(loweredName: Self.lowered(sub), slot: slot, valueType: path.valueType))
            } else if path.attribute == SCIMAttributePath.enterpriseSchema {
                enterpriseParts.append(KeyEntry(loweredName: Self.lowered(sub), slot: slot, valueType: path.valueType))
            } else if let typeFilter = path.typeFilter {
                var group = groups[path.attribute] ?? ([], [])
                let lowerSub = sub.lowercased()
                let subIndex = group.subs.firstIndex(of: lowerSub) ?? group.subs.count
                if subIndex == group.subs.count { group.subs.append(lowerSub) }
                group.requests.append(
                    MultiValuedGroup.Request(typeFilter: typeFilter, subAttributeIndex: subIndex, slot: slot))
                groups[path.attribute] = group
            } else {
                singular.append(
                    KeyEntry(loweredName: Self.lowered(path.attribute), slot: slot, valueType: path.valueType))
            }
        }
        Self.pairTwins(&singular, &nameParts, stored: stored)
        storedPaths = stored
        slotByPath = Dictionary(uniqueKeysWithValues: stored.enumerated().map { ($1, $0) })
        self.singular = singular
        self.nameParts = nameParts
        self.enterpriseParts = enterpriseParts
        multiValued = groups.keys.sorted().compactMap { name in
            guard let group = groups[name] else { return nil }
            return MultiValuedGroup(
                loweredName: Self.lowered(name), loweredSubAttributes: group.subs.map { Array($0.utf8) },
                requests: group.requests)
        }
    }

    /// Links `displayName` and `name.formatted`, which servers usually fill with the same text.
    private static func pairTwins(
        _ singular: inout [KeyEntry], _ nameParts: inout [KeyEntry], stored: [SCIMAttributePath]
    ) {
        guard let display = singular.firstIndex(where: { stored[$0.slot].attribute == "displayName" }),
            let formatted = nameParts.firstIndex(where: { stored[$0.slot].subAttribute == "formatted" })
        else { return }
        singular[display].twinSlot = nameParts[formatted].slot
        nameParts[formatted].twinSlot = singular[display].slot
    }

    /// The slot holding `path`'s value, or `nil` when the layout does not store it.
    func slot(for path: SCIMAttributePath) -> Int? {
        slotByPath.isEmpty ? nil : slotByPath[path]
    }

    /// `true` for the paths `TargetUser` answers from its own fields.
    static func answeredFromFields(_ path: SCIMAttributePath) -> Bool {
        switch path.attribute {
        case "userName", "externalId", "active", "emails": return true
        default: return false
        }
    }

    static func lowered(_ text: String) -> [UInt8] { Array(text.lowercased().utf8) }

    /// `true` when `bytes`, ASCII-lowercased, equal `lowered`.
    @inline(__always)
    static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ lowered: [UInt8]) -> Bool {
        guard bytes.count == lowered.count else { return false }
        for index in 0..<bytes.count where JSONTokenizer.asciiLowercase(bytes[index]) != lowered[index] {
            return false
        }
        return true
    }

    /// The first entry of `entries` whose name the tokenizer's current key matches.
    @inline(__always)
    static func entry(in entries: [KeyEntry], matching tokenizer: JSONTokenizer) -> KeyEntry? {
        guard !entries.isEmpty else { return nil }
        return tokenizer.withStringBytes { bytes in entries.first { matches(bytes, $0.loweredName) } }
    }
}
