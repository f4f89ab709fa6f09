/// One entry of a target user's `emails` (RFC 7643 §4.1.2).
public struct TargetEmail: Sendable, Hashable {
    /// The address, NFC-normalized and trimmed.
    public var value: String
    /// The entry's `type` (`work`, `home`, ...) as the server wrote it, or `nil`.
    public var type: String?
    /// `true` when the entry says `"primary": true` (or `"True"`).
    public var primary: Bool

    public init(value: String, type: String? = nil, primary: Bool = false) {
        self.value = value
        self.type = type
        self.primary = primary
    }

    /// `true` when the entry's type is `type`, ignoring case (SCIM canonical values are not case-exact).
    public func hasType(_ type: String) -> Bool {
        guard let own = self.type else { return false }
        return own.utf8.count == type.utf8.count && (own == type || own.lowercased() == type.lowercased())
    }
}

/// A ThousandEyes user as a snapshot holds it: its SCIM identity, state and the values of the
/// attribute paths the reader was asked for (SPEC §6 "Snapshot").
///
/// Kept small because a plan holds a million of them: requested values, e-mails and raw text live
/// in a `SnapshotStore` shared by every user of one read; changes made afterwards are kept beside
/// the user and win over the store.
public struct TargetUser: Sendable {
    /// The SCIM `id`, exactly as the server wrote it.
    public var id: String
    public var externalId: String?
    public var userName: String?
    /// `meta.version`, e.g. `W/"3"`: the ETag an `If-Match` precondition sends.
    public var version: String?
    /// `active`; absent means `true` (the SCIM default), `"False"` (Entra-legacy servers) means `false`.
    public var active: Bool

    private var lineNumber: Int32
    /// This user's row in `store`.
    private let row: Int32
    var store: SnapshotStore
    /// Changes made after reading: at most one element (an array is a copy-on-write box that costs
    /// nothing while empty).
    private var edits: [TargetUserEdits] = []

    init(
        id: String, externalId: String?, userName: String?, active: Bool, version: String?, line: Int, row: Int,
        store: SnapshotStore
    ) {
        self.id = id
        self.externalId = externalId
        self.userName = userName
        self.active = active
        self.version = version
        self.lineNumber = Int32(clamping: line)
        self.row = Int32(clamping: row)
        self.store = store
    }

    /// A user built in code (tests, offline apply), holding `attributes` for the paths they name.
    public init(
        id: String, externalId: String? = nil, userName: String? = nil, active: Bool = true, version: String? = nil,
        emails: [TargetEmail] = [], attributes: [SCIMAttributePath: AttributeValue] = [:], line: Int = 0
    ) {
        let layout = SnapshotAttributeLayout(requested: Set(attributes.keys))
        var builder = SnapshotStore.Builder(layout: layout)
        let values = ContiguousArray(layout.storedPaths.map { attributes[$0] })
        let row = (try? builder.append(values: values, emails: emails, rawRange: nil)) ?? 0
        self.init(
            id: id, externalId: externalId, userName: userName, active: active, version: version, line: line, row: row,
            store: SnapshotStore(builder))
        for (path, value) in attributes where SnapshotAttributeLayout.answeredFromFields(path) {
            setValue(value, for: path)
        }
    }

    /// 1-based line of the user object's `{` in the file.
    public var line: Int {
        get { Int(lineNumber) }
        set { lineNumber = Int32(clamping: newValue) }
    }

    /// Every `emails` entry that has a value, in the server's order.
    public var emails: [TargetEmail] {
        get { edits.first?.emails ?? Array(store.emails(row: Int(row))) }
        set { edit { $0.emails = newValue } }
    }

    /// The user's JSON text exactly as in the file; only when `SnapshotReader.Options.keepRawResources`.
    public var rawResource: [UInt8]? {
        get {
            if let edited = edits.first?.rawResource { return edited }
            return store.rawText(row: Int(row))
        }
        set { edit { $0.rawResource = .some(newValue) } }
    }

    /// SPEC §4: the `emails` entry of type `work`, else the primary one, else the first.
    public var workEmail: String? {
        withEmails { entries in
            if let work = Self.email(ofType: "work", in: entries) { return work }
            if let primary = entries.first(where: \.primary) { return primary.value }
            return entries.first?.value
        }
    }

    /// `true` when an `emails` entry has type `work` (an update can then `replace` that path
    /// instead of the whole `emails` array, SPEC §6 "Request shapes").
    public var hasTypedWorkEmail: Bool { withEmails { $0.contains { $0.hasType("work") } } }

    /// The entry of type `type` (the primary one when several have it), or `nil`.
    public func email(ofType type: String) -> String? {
        withEmails { Self.email(ofType: type, in: $0) }
    }

    private static func email(ofType type: String, in entries: ArraySlice<TargetEmail>) -> String? {
        var first: String?
        for entry in entries where entry.hasType(type) {
            if entry.primary { return entry.value }
            if first == nil { first = entry.value }
        }
        return first
    }

    private func withEmails<Result>(_ body: (ArraySlice<TargetEmail>) -> Result) -> Result {
        if let edited = edits.first?.emails { return body(edited[...]) }
        return body(store.emails(row: Int(row)))
    }

    /// The value the target holds for `path`, or `nil` when it holds none.
    ///
    /// `userName`, `externalId`, `active` and `emails[...]` come from the user's fields; other paths
    /// have a value only when they were requested from the reader (or set with `setValue(_:for:)`).
    public func value(for path: SCIMAttributePath) -> AttributeValue? {
        switch path.attribute {
        case "userName": return userName.map(AttributeValue.string)
        case "externalId": return externalId.map(AttributeValue.string)
        case "active": return .bool(active)
        case "emails" where path.subAttribute == "value":
            guard let type = path.typeFilter else { return nil }
            let address = type.lowercased() == "work" ? workEmail : email(ofType: type)
            return address.map(AttributeValue.string)
        default:
            if let edited = edits.first?.values[path] { return edited }
            guard let slot = store.layout.slot(for: path) else { return nil }
            return store.value(row: Int(row), slot: slot)
        }
    }

    /// `true` once something was changed after reading (the changes win over the shared store).
    var isEdited: Bool { !edits.isEmpty }

    /// The stored value of `slot` of the store's layout, ignoring edits (see `TargetAttributeAccessor`).
    @inline(__always)
    func storedValue(slot: Int) -> AttributeValue? { store.value(row: Int(row), slot: slot) }

    /// The values the target holds, looked up by path without building a dictionary:
    /// `user.attributes[path]` is `value(for: path)`; `attributes.dictionary` lists the requested ones.
    public var attributes: TargetAttributes { TargetAttributes(user: self) }

    /// The paths `attributes.dictionary` lists: those requested from the reader and those set since.
    var knownPaths: [SCIMAttributePath] {
        guard let edited = edits.first?.values.keys, !edited.isEmpty else { return store.layout.requested }
        return store.layout.requested + edited.filter { !store.layout.requested.contains($0) }
    }

    /// Sets (or, with `nil`, removes) the value of `path`.
    public mutating func setValue(_ value: AttributeValue?, for path: SCIMAttributePath) {
        switch path.attribute {
        case "userName": userName = value?.scalarText
        case "externalId": externalId = value?.scalarText
        case "active": active = value?.boolValue ?? true
        case "emails" where path.subAttribute == "value" && path.typeFilter != nil:
            var entries = emails
            Self.setEmail(value?.scalarText, ofType: path.typeFilter ?? "work", in: &entries)
            emails = entries
        default:
            edit { $0.values[path] = .some(value) }
        }
    }

    private static func setEmail(_ address: String?, ofType type: String, in emails: inout [TargetEmail]) {
        let index = emails.firstIndex { $0.hasType(type) && $0.primary } ?? emails.firstIndex { $0.hasType(type) }
        switch (index, address) {
        case (let index?, let address?): emails[index].value = address
        case (let index?, nil): emails.remove(at: index)
        case (nil, let address?): emails.append(TargetEmail(value: address, type: type, primary: emails.isEmpty))
        case (nil, nil): break
        }
    }

    private mutating func edit(_ change: (inout TargetUserEdits) -> Void) {
        if edits.isEmpty { edits.append(TargetUserEdits()) }
        change(&edits[0])
    }
}

/// What changed in a `TargetUser` after it was read; each member wins over the shared store.
struct TargetUserEdits: Sendable {
    var emails: [TargetEmail]?
    /// A value of `nil` removes the path's stored value.
    var values: [SCIMAttributePath: AttributeValue?] = [:]
    /// Set when `rawResource` was assigned (possibly to `nil`).
    var rawResource: [UInt8]??
}

/// A read-only view of the attribute values a `TargetUser` holds (see `TargetUser.value(for:)`).
public struct TargetAttributes: Sendable, Equatable {
    let user: TargetUser

    /// The value the target holds for `path`, or `nil`.
    public subscript(path: SCIMAttributePath) -> AttributeValue? { user.value(for: path) }

    /// The values of the requested paths (and of paths set since), absent ones left out.
    public var dictionary: [SCIMAttributePath: AttributeValue] {
        var result: [SCIMAttributePath: AttributeValue] = [:]
        for path in user.knownPaths {
            if let value = user.value(for: path) { result[path] = value }
        }
        return result
    }

    /// `true` when the target holds none of the requested paths.
    public var isEmpty: Bool { dictionary.isEmpty }

    public static func == (lhs: TargetAttributes, rhs: TargetAttributes) -> Bool { lhs.dictionary == rhs.dictionary }
}
