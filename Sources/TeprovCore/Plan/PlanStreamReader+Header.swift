extension PlanStreamReader {
    // The plan's small top-level parts: every field `Plan.jsonValue()` writes must be there, nothing else.

    func readSummary() throws -> Plan.Summary {
        var summary = Plan.Summary()
        var seen = 0
        try readObject {
            seen += 1
            if tokenizer.keyEquals("create") {
                summary.create = try readInt()
            } else if tokenizer.keyEquals("delete") {
                summary.delete = try readInt()
            } else if tokenizer.keyEquals("disable") {
                summary.disable = try readInt()
            } else if tokenizer.keyEquals("estimatedDuration") {
                summary.estimatedDuration = try readString()
            } else if tokenizer.keyEquals("estimatedRequests") {
                summary.estimatedRequests = try readInt()
            } else if tokenizer.keyEquals("held") {
                summary.held = try readInt()
            } else if tokenizer.keyEquals("inScope") {
                summary.inScope = try readInt()
            } else if tokenizer.keyEquals("invalid") {
                summary.invalid = try readInt()
            } else if tokenizer.keyEquals("noop") {
                summary.noop = try readInt()
            } else if tokenizer.keyEquals("outOfScope") {
                summary.outOfScope = try readInt()
            } else if tokenizer.keyEquals("skipped") {
                try readObject {
                    let reason = names.string(tokenizer)
                    summary.skipped[reason] = try readInt()
                }
            } else if tokenizer.keyEquals("sourceRecords") {
                summary.sourceRecords = try readInt()
            } else if tokenizer.keyEquals("unmanaged") {
                summary.unmanaged = try readInt()
            } else if tokenizer.keyEquals("update") {
                summary.update = try readInt()
            } else {
                throw Mismatch()
            }
        }
        // Names are unique (the stream checks their order), so 14 known names are all of them.
        guard seen == 14 else { throw Mismatch() }
        return summary
    }

    func readSafety() throws -> Plan.Safety {
        var deletionThreshold: Int?
        var percent: Double?
        var deletions: Int?
        var held: Bool?
        var managedTargets: Int?
        try readObject {
            if tokenizer.keyEquals("deletionThreshold") {
                deletionThreshold = try readInt()
            } else if tokenizer.keyEquals("deletionThresholdPercent") {
                percent = try readDouble()
            } else if tokenizer.keyEquals("deletions") {
                deletions = try readInt()
            } else if tokenizer.keyEquals("held") {
                held = try readBool()
            } else if tokenizer.keyEquals("managedTargets") {
                managedTargets = try readInt()
            } else {
                throw Mismatch()
            }
        }
        guard let deletionThreshold, let percent, let deletions, let held, let managedTargets else {
            throw Mismatch()
        }
        return Plan.Safety(
            deletionThreshold: deletionThreshold, deletionThresholdPercent: percent, managedTargets: managedTargets,
            deletions: deletions, held: held)
    }

    /// `target`: the snapshot's source URL and capture time, each optional.
    func readPlanTarget() throws -> (url: String?, capturedAt: String?) {
        var url: String?
        var capturedAt: String?
        try readObject {
            if tokenizer.keyEquals("snapshotCapturedAt") {
                capturedAt = try readString()
            } else if tokenizer.keyEquals("url") {
                url = try readString()
            } else {
                throw Mismatch()
            }
        }
        return (url, capturedAt)
    }

    /// `tool`: `{"name": "teprov", "version": …}`; returns the version.
    func readTool() throws -> String {
        var name: String?
        var version: String?
        try readObject {
            if tokenizer.keyEquals("name") {
                name = try readString()
            } else if tokenizer.keyEquals("version") {
                version = try readString()
            } else {
                throw Mismatch()
            }
        }
        guard name == "teprov", let version else { throw Mismatch() }
        return version
    }

    /// A number that `Plan.jsonValue()` writes back as the same text: any non-integral number, or an
    /// integer that a `Double` holds exactly and prints without an exponent.
    func readDouble() throws -> Double {
        guard try stream.next() == .number else { throw Mismatch() }
        if let integer = tokenizer.int64Value() {
            guard integer.magnitude < 9_007_199_254_740_992 else { throw Mismatch() }
            return Double(integer)
        }
        guard case .double(let number) = try tokenizer.numberValue() else { throw Mismatch() }
        return number
    }
}
