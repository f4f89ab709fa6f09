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

    /// Per slot (see `JSONAttributePathTable.Node.slot`): the record generation that last used it,
    /// the array instance collecting into it (-1: a single value) and that collection's index.
    private struct SlotState {
        var generation: UInt32 = 0
        var array: Int32 = -1
        var collection: Int32 = -1
    }
    private var slotStates: [SlotState] = []
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
            for index in slotStates.indices { slotStates[index].generation = 0 }
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
    /// - Returns: `false` when the record already has the attribute another way (a record problem the
    ///   caller reports).
    @inline(__always)
    mutating func store(_ value: AttributeValue, slot: Int, key: AttributeKey, array: Int32) -> Bool {
        if slot >= slotStates.count { growSlots(to: slot + 1) }
        let state = slotStates[slot]
        if state.generation != generation {
            if array < 0 {
                slotStates[slot] = SlotState(generation: generation, array: array, collection: -1)
                fields.append(SourceRecord.Field(key: key, value: value))
            } else {
                slotStates[slot] = SlotState(generation: generation, array: array, collection: Int32(collections.count))
                collections.append((field: fields.count, values: [value]))
                fields.append(SourceRecord.Field(key: key, value: .multi([])))
            }
            return true
        }
        if array >= 0 && state.array == array {
            collections[Int(state.collection)].values.append(value)
            return true
        }
        return false
    }

    /// The problem for an attribute received twice in one record.
    static func repeatedAttribute(_ displayName: String) -> String {
        "the user object has the attribute \"\(displayName)\" more than once (names are case-insensitive and nested objects flatten to dotted names); keep one"
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
        let newCount = max(count, slotStates.count * 2, 64)
        slotStates.append(contentsOf: repeatElement(SlotState(), count: newCount - slotStates.count))
    }
}
