/// The summary `teprov plan` prints (and `show` ends with).
public enum PlanSummaryText {
    public static func render(_ plan: Plan, path: String?) -> String {
        let summary = plan.summary
        var lines: [String] = []
        if let path { lines.append("Plan written to \(path) (\(plan.digest))") }
        lines.append(
            "Plan: \(summary.create) to create, \(summary.update) to update, \(summary.disable) to disable, "
                + "\(summary.delete) to delete; \(summary.noop) unchanged.")
        lines.append(
            "Source: \(counted(summary.sourceRecords, "record")) (\(summary.invalid) invalid), \(summary.inScope) in "
                + "scope, \(summary.outOfScope) out of scope and not in ThousandEyes; "
                + "\(counted(summary.unmanaged, "unmanaged ThousandEyes user")) left alone.")
        if !summary.skipped.isEmpty {
            lines.append(
                "Skipped: "
                    + summary.skipped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            )
        }
        lines.append(
            "Estimated: \(counted(summary.estimatedRequests, "request")), \(summary.estimatedDuration) at 180 "
                + "requests/min.")
        if summary.create > 0 {
            lines.append(
                "Note: ThousandEyes gives new SCIM users the organisation's default SCIM role in all account groups "
                    + "(roles cannot be set over SCIM).")
        }
        if plan.safety.held {
            lines.append(
                "HELD: \(plan.safety.deletions) disables and deletes reach the deletion threshold; apply refuses them unless "
                    + "you review and pass --allow-deletes \(plan.digest) (or --skip-held to run the rest).")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "1 record", "2 records".
    static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
