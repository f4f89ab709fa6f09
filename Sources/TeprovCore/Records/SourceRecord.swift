/// Where a record came from: the file and the line (or element index for formats without lines).
public struct RecordOrigin: Sendable, Hashable {
    /// The path as the user gave it on the command line.
    public var file: String
    /// 1-based line of the record's first byte (CSV row, JSON object, XML start tag).
    public var line: Int
    /// 0-based position of the record among the file's records (valid or not).
    public var index: Int

    public init(file: String, line: Int, index: Int) {
        self.file = file
        self.line = line
        self.index = index
    }
}

/// One user as read from a directory export, before any mapping.
///
/// Attributes are stored in reading order as (key, value) pairs; records carry few attributes
/// (a projection keeps only those the config uses), so a linear scan beats hashing.
public struct SourceRecord: Sendable {
    public var origin: RecordOrigin
    public private(set) var fields: [Field]

    /// One attribute of the record.
    public struct Field: Sendable, Hashable {
        public var key: AttributeKey
        public var value: AttributeValue
        public init(key: AttributeKey, value: AttributeValue) {
            self.key = key
            self.value = value
        }
    }

    public init(origin: RecordOrigin, fields: [Field] = []) {
        self.origin = origin
        self.fields = fields
    }

    /// The value of an attribute, or `nil` when the record does not have it.
    public subscript(key: AttributeKey) -> AttributeValue? {
        get {
            for field in fields where field.key == key { return field.value }
            return nil
        }
        set {
            if let position = fields.firstIndex(where: { $0.key == key }) {
                if let newValue { fields[position].value = newValue } else { fields.remove(at: position) }
            } else if let newValue {
                fields.append(Field(key: key, value: newValue))
            }
        }
    }

    /// Convenience lookup by name (folded to lower case).
    public subscript(name: String) -> AttributeValue? {
        get { self[AttributeKey(name)] }
        set { self[AttributeKey(name)] = newValue }
    }

    /// Appends a field without checking for an existing one; readers use it when keys are known distinct.
    public mutating func appendUnchecked(_ key: AttributeKey, _ value: AttributeValue) {
        fields.append(Field(key: key, value: value))
    }

    public var isEmpty: Bool { fields.isEmpty }
}
