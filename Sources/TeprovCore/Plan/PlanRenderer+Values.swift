/// How the renderers write values: the same words in every format, escaping left to each format.
enum PlanValueText {
    /// `5001` → `5,001`.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var text = ""
        for (position, digit) in digits.enumerated() {
            if position > 0, (digits.count - position) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return number < 0 ? "-" + text : text
    }

    /// A changed value, JSON-ish: strings quoted and escaped, `null`, numbers, booleans, compact arrays.
    static func value(_ value: JSONValue) -> String {
        value.serialized(style: .compact)
    }

    /// `attribute: old → new` for an update, `attribute: new` for a create.
    static func change(_ change: AttributeChange, action: PlanAction) -> String {
        if action == .create { return "\(change.attribute): \(value(change.new))" }
        return "\(change.attribute): \(value(change.old)) → \(value(change.new))"
    }

    /// `20` for 20.0, `12.5` otherwise.
    static func number(_ value: Double) -> String {
        JSONValue.numberText(value)
    }

    /// `PT1H2M3S` → `1 h 2 min 3 s`; anything else is returned as is.
    static func duration(_ iso: String) -> String {
        guard iso.hasPrefix("PT"), iso.count > 2 else { return iso }
        var parts: [String] = []
        var digits = ""
        for character in iso.dropFirst(2) {
            if character.isNumber || character == "." {
                digits.append(character)
                continue
            }
            guard !digits.isEmpty else { return iso }
            switch character {
            case "H": parts.append("\(digits) h")
            case "M": parts.append("\(digits) min")
            case "S": parts.append("\(digits) s")
            default: return iso
            }
            digits = ""
        }
        guard digits.isEmpty, !parts.isEmpty else { return iso }
        return parts.joined(separator: " ")
    }

    /// "1 operation", "2 operations".
    static func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(grouped(count)) \(count == 1 ? singular : plural ?? singular + "s")"
    }

    /// Who an operation is about and where it came from: `users.csv:12`, or the target id for orphans.
    static func origin(_ operation: PlanOperation) -> String {
        if let source = operation.source { return source.location }
        if let target = operation.target { return "target \(target.id)" }
        return ""
    }

    /// The sentence every rendering with creates carries (SPEC §6).
    static let defaultRoleNote =
        "ThousandEyes gives new SCIM users the organisation's default SCIM role in all account groups "
        + "(roles cannot be set over SCIM)."

    /// Why the plan is held and how to release it; `nil` when it is not held.
    static func heldNotice(_ plan: Plan, planName: String) -> HeldNotice? {
        guard plan.safety.held else { return nil }
        let held = plan.operations.filter(\.held).count
        let safety = plan.safety
        let detail =
            "It would disable or delete \(grouped(safety.deletions)) of \(counted(safety.managedTargets, "managed user")), "
            + "at or above the deletion threshold (\(grouped(safety.deletionThreshold)), or "
            + "\(number(safety.deletionThresholdPercent))% of managed users once 10 or more are affected); "
            + "\(counted(held, "operation is", "operations are")) marked held."
        let apply = "teprov apply \(ShellQuoting.quoted(planName)) --url URL"
        return HeldNotice(
            headline: "This plan is HELD.", detail: detail,
            instruction: "teprov apply refuses a held plan. After review, release it with one of:",
            releases: [
                ("Apply everything, held operations included", "\(apply) --allow-deletes \(plan.digest)"),
                ("Apply everything except the held operations", "\(apply) --skip-held"),
            ])
    }
}

/// What the renderings say about a held plan (SPEC §6 safety rules, §8 refusals).
struct HeldNotice {
    var headline: String
    var detail: String
    var instruction: String
    var releases: [(effect: String, command: String)]
}
