/// Collects one XML record's attributes and hands the finished record to the `ReadContext`:
/// repeated names merge into a multi-valued attribute, the first record-level problem makes the
/// record invalid, and directory dialects (DSML, CLIXML) get the object-class filter and
/// `DirectoryRecordFixups`.
final class XMLRecordBuilder {
    private let context: ReadContext
    private let isDirectory: Bool
    private var fields: [SourceRecord.Field] = []
    /// Per key id: the serial of the record that last stored the key (finds repeats without a search),
    /// and where in `fields` it is.
    private var stamps: [Int] = []
    private var positions: [Int] = []
    /// Key ids of the attributes the directory fix-ups read and write, when the names table is known.
    private let fixupKeys: XMLDirectoryFixupKeys?
    private var serial = 0
    private var line = 0
    private var problem: String?
    private var objectClasses: [String]?
    private var skipped = XMLSkippedObjects()

    /// - Parameters:
    ///   - isDirectory: apply the object-class filter and the directory fix-ups.
    ///   - names: the table whose entries are added; lets the fix-ups find attributes by key id.
    init(context: ReadContext, isDirectory: Bool, names: XMLAttributeNameTable? = nil) {
        self.context = context
        self.isDirectory = isDirectory
        fixupKeys = isDirectory ? names.map(XMLDirectoryFixupKeys.init) : nil
    }

    /// Starts a record whose start tag is on `line`.
    @inline(__always)
    func begin(line: Int) {
        serial += 1
        self.line = line
        // The last record shares the old storage: start a fresh array of the same size, not a copy.
        let expected = max(fields.count, 8)
        fields = []
        fields.reserveCapacity(expected)
        problem = nil
        objectClasses = nil
    }

    /// `true` once the current record is known to be invalid (callers may stop decoding it).
    var isRejected: Bool { problem != nil }

    /// Stores a value (a repeated name adds to a multi-valued attribute).
    @inline(__always)
    func add(_ entry: XMLAttributeNameTable.Entry, _ value: AttributeValue) {
        let keyID = entry.keyID
        if keyID >= stamps.count { growStamps(to: keyID + 1) }
        if stamps[keyID] == serial {
            let position = positions[keyID]
            fields[position].value = XMLRecordBuilder.merge(fields[position].value, value)
            return
        }
        stamps[keyID] = serial
        positions[keyID] = fields.count
        fields.append(SourceRecord.Field(key: entry.key, value: value))
    }

    private func growStamps(to count: Int) {
        stamps.append(contentsOf: repeatElement(0, count: count - stamps.count))
        positions.append(contentsOf: repeatElement(0, count: count - positions.count))
    }

    /// Where the current record holds the attribute with this key id, if it does.
    @inline(__always)
    private func position(of keyID: Int) -> Int? {
        keyID < stamps.count && stamps[keyID] == serial ? positions[keyID] : nil
    }

    /// Sets an attribute the fix-ups write: in place when present, else appended.
    private func set(_ keyID: Int, _ key: AttributeKey, _ value: AttributeValue) {
        if let position = position(of: keyID) {
            fields[position].value = value
            return
        }
        if keyID >= stamps.count { growStamps(to: keyID + 1) }
        stamps[keyID] = serial
        positions[keyID] = fields.count
        fields.append(SourceRecord.Field(key: key, value: value))
    }

    /// `DirectoryRecordFixups.apply`, by key id: the same changes without comparing key strings.
    private func applyFixups(_ keys: XMLDirectoryFixupKeys) {
        if position(of: keys.displayName) == nil {
            if let common = position(of: keys.commonName), !fields[common].value.isMultiValued {
                set(keys.displayName, DirectoryRecordFixups.displayNameKey, fields[common].value)
            } else if let name = position(of: keys.name), !fields[name].value.isMultiValued {
                set(keys.displayName, DirectoryRecordFixups.displayNameKey, fields[name].value)
            }
        }
        guard let control = position(of: keys.userAccountControl),
            let number = DirectoryRecordFixups.userAccountControl(fields[control].value)
        else { return }
        if number & 0x2 != 0 {
            set(keys.accountEnabled, DirectoryRecordFixups.accountEnabledKey, .bool(false))
        } else if position(of: keys.accountEnabled) == nil {
            set(keys.accountEnabled, DirectoryRecordFixups.accountEnabledKey, .bool(true))
        }
    }

    /// Marks the record invalid; the first problem is the one reported.
    func reject(_ message: String) {
        if problem == nil { problem = message }
    }

    /// Gives the record's object classes to the directory filter (read even when not projected).
    func noteObjectClasses(_ classes: [String]) {
        if objectClasses == nil {
            objectClasses = classes
        } else {
            objectClasses?.append(contentsOf: classes)
        }
    }

    /// Gives the record one object class (a single-valued `objectClass`).
    func noteObjectClass(_ objectClass: String) {
        if objectClasses == nil {
            objectClasses = [objectClass]
        } else {
            objectClasses?.append(objectClass)
        }
    }

    /// Emits the record, rejects it, or skips it as a non-user directory object.
    /// - Parameter label: how diagnostics name the record, e.g. `entry "CN=Ann Lee,..."`.
    func finish(label: @autoclosure () -> String) throws {
        if isDirectory, let objectClasses, let reason = XMLSkippedObjects.nonUserClass(objectClasses) {
            skipped.count(reason, line: line)
            return
        }
        if let problem {
            context.rejectRecord(line: line, "\(label()): \(problem); the record is not used, fix it in the export")
            return
        }
        if let fixupKeys {
            applyFixups(fixupKeys)
            try context.emit(SourceRecord(origin: context.origin(line: line), fields: fields))
            return
        }
        var record = SourceRecord(origin: context.origin(line: line), fields: fields)
        if isDirectory { DirectoryRecordFixups.apply(to: &record) }
        try context.emit(record)
    }

    /// A finished record whose fate is decided later (generic XML buffers records until it knows which
    /// element name is the repeated one).
    enum Pending {
        case record(SourceRecord)
        case rejected(line: Int, message: String)
    }

    /// Finishes the record without handing it on; `commit(_:)` does that (or nothing, to drop it).
    func finishPending(label: @autoclosure () -> String) -> Pending {
        if let problem {
            return .rejected(
                line: line, message: "\(label()): \(problem); the record is not used, fix it in the export")
        }
        return .record(SourceRecord(origin: RecordOrigin(file: context.path, line: line, index: 0), fields: fields))
    }

    /// Hands a pending record to the context (its index is assigned now).
    func commit(_ pending: Pending) throws {
        switch pending {
        case .record(var record):
            record.origin = context.origin(line: record.origin.line)
            try context.emit(record)
        case .rejected(let line, let message):
            context.rejectRecord(line: line, message)
        }
    }

    /// Reports what the filter skipped (one warning per file).
    func finishFile() {
        if let summary = skipped.summary { context.warn(line: skipped.firstLine, summary) }
    }

    /// `TextNormalization.untypedScalar`, skipping the spelling comparisons for text that cannot be
    /// `true` or `false` by its length (most values).
    @inline(__always)
    static func untyped(_ text: String) -> AttributeValue {
        if let flag = BooleanText.parse(text) { return .bool(flag) }
        return .string(text)
    }

    private static func merge(_ existing: AttributeValue, _ added: AttributeValue) -> AttributeValue {
        var values: [AttributeValue]
        if case .multi(let list) = existing { values = list } else { values = [existing] }
        if case .multi(let list) = added { values.append(contentsOf: list) } else { values.append(added) }
        return .multi(values)
    }
}

/// Key ids (in one `XMLAttributeNameTable`) of the attributes `DirectoryRecordFixups` reads and writes.
struct XMLDirectoryFixupKeys {
    let displayName, commonName, name, userAccountControl, accountEnabled: Int

    init(_ names: XMLAttributeNameTable) {
        displayName = names.keyID(of: "displayName")
        commonName = names.keyID(of: "cn")
        name = names.keyID(of: "name")
        userAccountControl = names.keyID(of: "userAccountControl")
        accountEnabled = names.keyID(of: "accountEnabled")
    }
}

/// Directory objects that are not user accounts (organizational units, groups, computers, contacts),
/// skipped by object class and counted for one summary warning.
struct XMLSkippedObjects {
    private(set) var total = 0
    private(set) var firstLine: Int?
    private var byClass: [(String, Int)] = []

    /// The reason to skip an object with these classes, or `nil` for a user account.
    ///
    /// Kept: `user` (AD; not `computer`, which AD derives from `user`), `person`,
    /// `organizationalPerson` and `inetOrgPerson` (LDAP), unless the object is a `contact`.
    /// An object without any object class is kept: the export may simply not include the attribute.
    static func nonUserClass(_ classes: [String]) -> String? {
        if classes.isEmpty { return nil }
        var isUserOrPerson = false
        for objectClass in classes {
            switch ClassKind(objectClass) {
            case .computer: return "computer"
            case .contact: return "contact"
            case .userOrPerson: isUserOrPerson = true
            case .other: break
            }
        }
        if isUserOrPerson { return nil }
        // Name the most specific class: directories list classes from `top` down.
        return classes.last(where: { !equalsIgnoringASCIICase($0, "top") }) ?? classes[classes.count - 1]
    }

    /// What an object class says about the object (ASCII case ignored).
    private enum ClassKind {
        case computer, contact, userOrPerson, other

        init(_ objectClass: String) {
            // The length tells the candidates apart before any comparison: most classes match none.
            switch objectClass.utf8.count {
            case 4: self = equalsIgnoringASCIICase(objectClass, "user") ? .userOrPerson : .other
            case 6: self = equalsIgnoringASCIICase(objectClass, "person") ? .userOrPerson : .other
            case 7: self = equalsIgnoringASCIICase(objectClass, "contact") ? .contact : .other
            case 8: self = equalsIgnoringASCIICase(objectClass, "computer") ? .computer : .other
            case 13: self = equalsIgnoringASCIICase(objectClass, "inetOrgPerson") ? .userOrPerson : .other
            case 20: self = equalsIgnoringASCIICase(objectClass, "organizationalPerson") ? .userOrPerson : .other
            default: self = .other
            }
        }
    }

    private static func equalsIgnoringASCIICase(_ text: String, _ lowerOrMixed: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: lowerOrMixed.utf8Start, count: lowerOrMixed.utf8CodeUnitCount)
        guard text.utf8.count == expected.count else { return false }
        let compared = text.utf8.withContiguousStorageIfAvailable { bytes in
            for index in 0..<bytes.count where bytes[index] | 0x20 != expected[index] | 0x20 { return false }
            return true
        }
        if let compared { return compared }
        for (byte, other) in zip(text.utf8, expected) where byte | 0x20 != other | 0x20 { return false }
        return true
    }

    mutating func count(_ objectClass: String, line: Int) {
        total += 1
        if firstLine == nil { firstLine = line }
        if let position = byClass.firstIndex(where: { $0.0 == objectClass }) {
            byClass[position].1 += 1
        } else {
            byClass.append((objectClass, 1))
        }
    }

    var summary: String? {
        guard total > 0 else { return nil }
        let classes = byClass.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
        let noun = total == 1 ? "object that is not a user account" : "objects that are not user accounts"
        return "skipped \(total) directory \(noun) (objectClass \(classes)); they are not provisioned"
    }
}
