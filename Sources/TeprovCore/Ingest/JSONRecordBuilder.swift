/// Collects the fields of one user object while it is being flattened.
///
/// A value read outside any array becomes a single-valued field; values read anywhere under an
/// array collect, in document order, into one multi-valued field per path. Receiving the same
/// attribute twice any other way (`"mail"` and `"Mail"`, or `"name.givenName"` next to a nested
/// `name.givenName`) is a record problem: the record cannot say which value is meant.
struct JSONRecordBuilder {
    private(set) var fields: [SourceRecord.Field] = []
    /// The first problem that makes the record unusable, as a message for `rejectRecord`.
    private(set) var problem: String?

    // Per slot (see `JSONAttributePathTable.Node.slot`): the record generation that last used it,
    // the array instance collecting into it (-1: a single value) and that collection's index.
    private var slotGeneration: [UInt32] = []
    private var slotArray: [Int32] = []
    private var slotCollection: [Int32] = []
    private var generation: UInt32 = 0
    private var arrayInstances: Int32 = 0
    private var collections: [(field: Int, values: [AttributeValue])] = []

    /// Starts a new record; `expectedFields` presizes the field list.
    mutating func begin(expectedFields: Int) {
        fields = []
        fields.reserveCapacity(expectedFields)
        collections.removeAll(keepingCapacity: true)
        problem = nil
        if generation == UInt32.max {
            for index in slotGeneration.indices { slotGeneration[index] = 0 }
            generation = 0
        }
        generation &+= 1
    }

    /// A new identity for an outermost array: everything under it collects into the same fields.
    mutating func beginArray() -> Int32 {
        arrayInstances &+= 1
        return arrayInstances
    }

    /// Keeps the first record problem (later ones are usually consequences of it).
    mutating func reportProblem(_ message: String) {
        if problem == nil { problem = message }
    }

    /// Adds a value for the attribute at `slot`.
    /// - Parameter array: the outermost array the value was read under, or -1.
    @inline(__always)
    mutating func store(
        _ value: AttributeValue, slot: Int, key: AttributeKey, displayName: String, array: Int32
    ) {
        if slot >= slotGeneration.count { growSlots(to: slot + 1) }
        if slotGeneration[slot] != generation {
            slotGeneration[slot] = generation
            slotArray[slot] = array
            if array < 0 {
                fields.append(SourceRecord.Field(key: key, value: value))
            } else {
                slotCollection[slot] = Int32(collections.count)
                collections.append((field: fields.count, values: [value]))
                fields.append(SourceRecord.Field(key: key, value: .multi([])))
            }
            return
        }
        if array >= 0 && slotArray[slot] == array {
            collections[Int(slotCollection[slot])].values.append(value)
            return
        }
        reportProblem(
            "the user object has the attribute \"\(displayName)\" more than once (names are case-insensitive and nested objects flatten to dotted names); keep one"
        )
    }

    /// The record's fields, with collected values in place.
    mutating func finish() -> [SourceRecord.Field] {
        for collection in collections {
            fields[collection.field].value = .multi(collection.values)
        }
        collections.removeAll(keepingCapacity: true)
        let result = fields
        fields = []
        return result
    }

    private mutating func growSlots(to count: Int) {
        let newCount = max(count, slotGeneration.count * 2, 64)
        let added = newCount - slotGeneration.count
        slotGeneration.append(contentsOf: repeatElement(0, count: added))
        slotArray.append(contentsOf: repeatElement(-1, count: added))
        slotCollection.append(contentsOf: repeatElement(-1, count: added))
    }
}
