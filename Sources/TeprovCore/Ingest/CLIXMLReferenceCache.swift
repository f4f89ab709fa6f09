/// Values of earlier CLIXML objects by `RefId`, for `<Ref RefId="…"/>` back-references.
///
/// PowerShell writes an object it has already serialized as a `Ref` to the first copy. The cache
/// keeps the last `capacity` objects (a ring), so memory stays bounded however long the file is; a
/// reference further back than that resolves to nothing and the property is left absent.
struct CLIXMLReferenceCache {
    private var slots: [(refId: Int, value: AttributeValue?)]
    private var positions: [Int: Int] = [:]
    private var nextSlot = 0
    let capacity: Int

    init(capacity: Int = 65_536) {
        self.capacity = max(capacity, 1)
        self.slots = []
    }

    /// Remembers what object `refId` resolved to (`nil`: it had no usable value).
    mutating func remember(_ refId: Int, _ value: AttributeValue?) {
        if let position = positions[refId] {
            slots[position].value = value
            return
        }
        if slots.count < capacity {
            positions[refId] = slots.count
            slots.append((refId, value))
            return
        }
        positions[slots[nextSlot].refId] = nil
        slots[nextSlot] = (refId, value)
        positions[refId] = nextSlot
        nextSlot = (nextSlot + 1) % capacity
    }

    /// What object `refId` resolved to; `.none` when unknown, `.some(nil)` when it had no value.
    func lookup(_ refId: Int) -> AttributeValue?? {
        guard let position = positions[refId] else { return .none }
        return .some(slots[position].value)
    }
}
