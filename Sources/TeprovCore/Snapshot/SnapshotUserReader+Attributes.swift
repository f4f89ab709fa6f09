extension SnapshotUserReader {
    /// Reads a member that is not one of the fields every user has: a requested singular attribute,
    /// the enterprise extension, a requested multi-valued attribute, or something skipped unread.
    func readRequestedMember(into fields: inout SnapshotUserFields) throws {
        if let entry = SnapshotAttributeLayout.entry(in: layout.singular, matching: tokenizer) {
            return try readValue(for: entry, into: &fields)
        }
        if !layout.enterpriseParts.isEmpty,
            tokenizer.withStringBytes({
                SnapshotAttributeLayout.matches($0, SnapshotAttributeLayout.loweredEnterpriseSchema)
            })
        {
            let token = try tokenizer.next()
            guard token == .beginObject else { return try tokenizer.skipValue(startingWith: token) }
            return try readRequestedMembers(of: layout.enterpriseParts, into: &fields)
        }
        if !layout.multiValued.isEmpty,
            let group = tokenizer.withStringBytes({ key in
                layout.multiValued.first { SnapshotAttributeLayout.matches(key, $0.loweredName) }
            })
        {
            return try readMultiValued(group, into: &fields)
        }
        try tokenizer.skipValue()
    }

    /// Reads the members of an object whose `{` was just read, keeping those `entries` name.
    func readRequestedMembers(of entries: [SnapshotAttributeLayout.KeyEntry], into fields: inout SnapshotUserFields)
        throws
    {
        while try tokenizer.next() == .key {
            if let entry = SnapshotAttributeLayout.entry(in: entries, matching: tokenizer) {
                try readValue(for: entry, into: &fields)
            } else {
                try tokenizer.skipValue()
            }
        }
    }

    /// Reads the next value, typed for the entry's target, into its slot.
    private func readValue(for entry: SnapshotAttributeLayout.KeyEntry, into fields: inout SnapshotUserFields) throws {
        switch entry.valueType {
        case .boolean:
            fields.values[entry.slot] = try readBoolean().map(AttributeValue.bool)
        case .string:
            let twin: String?
            if let twinSlot = entry.twinSlot, case .string(let text)? = fields.values[twinSlot] {
                twin = text
            } else {
                twin = nil
            }
            guard let text = try readText(reusing: twin) else {
                fields.values[entry.slot] = nil
                return
            }
            fields.values[entry.slot] = .string(interners[entry.slot].intern(text))
        }
    }

    /// One element of a multi-valued attribute: its type, primary flag and requested sub-attributes.
    private struct MultiValuedEntry {
        var type: String?
        var primary = false
        var values: [String?]
    }

    /// Reads a multi-valued attribute (`phoneNumbers`, `addresses`, ...) and fills each request with
    /// the sub-attribute of the entry of its type (the primary one when several have that type).
    private func readMultiValued(
        _ group: SnapshotAttributeLayout.MultiValuedGroup, into fields: inout SnapshotUserFields
    ) throws {
        let token = try tokenizer.next()
        guard token == .beginArray else { return try tokenizer.skipValue(startingWith: token) }
        var entries: [MultiValuedEntry] = []
        while true {
            let element = try tokenizer.next()
            if element == .endArray { break }
            guard element == .beginObject else {
                try tokenizer.skipValue(startingWith: element)
                continue
            }
            var entry = MultiValuedEntry(values: Array(repeating: nil, count: group.loweredSubAttributes.count))
            while try tokenizer.next() == .key {
                let subIndex = tokenizer.withStringBytes { key in
                    group.loweredSubAttributes.firstIndex { SnapshotAttributeLayout.matches(key, $0) }
                }
                if let subIndex {
                    entry.values[subIndex] = try readText(reusing: nil)
                } else if tokenizer.keyEqualsIgnoringCase("type") {
                    entry.type = try readText(reusing: nil)
                } else if tokenizer.keyEqualsIgnoringCase("primary") {
                    entry.primary = try readBoolean() ?? false
                } else {
                    try tokenizer.skipValue()
                }
            }
            entries.append(entry)
        }
        for request in group.requests {
            let filter = request.typeFilter.lowercased()
            let ofType = entries.filter { $0.type?.lowercased() == filter }
            let chosen = ofType.first(where: \.primary) ?? ofType.first
            let text = chosen?.values[request.subAttributeIndex]
            fields.values[request.slot] = text.map { .string(interners[request.slot].intern($0)) }
        }
    }
}
