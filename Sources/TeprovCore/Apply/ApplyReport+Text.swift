extension ApplyReport {
    /// Failures the text summary lists before pointing to the report for the rest.
    public static let summaryFailureLimit = 20

    /// A short summary for stdout: outcome, counts per action × status, request figures, duration and
    /// rate, the first failures, advice, and where the report, log and journal are.
    /// - Parameter color: ANSI colours for the outcome and failures (a terminal without `NO_COLOR`).
    public func textSummary(color: Bool) -> String {
        textSummary(color: color, reportPath: reportPath, logPath: logPath, journalPath: journalPath)
    }

    /// The summary, naming the files given here rather than the ones the report holds.
    public func textSummary(color: Bool, reportPath: String?, logPath: String?, journalPath: String?) -> String {
        let paint = TerminalPaint(enabled: color)
        var lines: [String] = []
        lines.append("Apply " + paint.outcome(outcome) + headline)
        lines.append("Plan \(planDigest) (\(Self.printable(planPath))) → \(Self.printable(target))")
        lines.append(contentsOf: countTable())
        if heldSkipped > 0 {
            lines.append("Held operations skipped (--skip-held): \(heldSkipped)")
        }
        lines.append(
            "Requests: \(requests), retries: \(retries), 429: \(tooManyRequests), 5xx: \(serverErrors), "
                + "network errors: \(networkErrors)")
        lines.append("Duration: \(Self.durationText(duration)), \(Self.rateText(operationsPerSecond)) operations/s")
        if !failures.isEmpty {
            lines.append(paint.failure("Failures (\(failures.count)):"))
            for failure in failures.prefix(Self.summaryFailureLimit) {
                lines.append("  " + Self.failureLine(failure))
            }
            if failures.count > Self.summaryFailureLimit {
                lines.append("  ... and \(failures.count - Self.summaryFailureLimit) more (see the report)")
            }
        }
        if !advice.isEmpty {
            lines.append("Advice:")
            lines.append(contentsOf: advice.map { "  - " + Self.printable($0) })
        }
        if let reportPath { lines.append("Report: \(Self.printable(reportPath))") }
        if let logPath { lines.append("Log: \(Self.printable(logPath))") }
        if let journalPath { lines.append("Journal: \(Self.printable(journalPath))") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What follows the outcome word on the first line.
    private var headline: String {
        switch outcome {
        case .succeeded:
            return alreadyApplied
                ? " (already applied: every operation had succeeded in an earlier run; nothing was sent)" : ""
        case .partial:
            let failed = total(.failed)
            return ": \(failed) operation\(failed == 1 ? "" : "s") failed"
        case .stopped:
            return ": " + Self.printable(stopReason ?? "the run stopped")
        }
    }

    /// `action  succeeded  failed  skipped`, one row per action in plan order (delete first).
    private func countTable() -> [String] {
        let statuses = OperationStatus.allCases
        let actions = PlanAction.allCases.sorted { $0.phase < $1.phase }
        let width = max(9, statuses.map(\.rawValue.count).max() ?? 9)
        let nameWidth = actions.map(\.rawValue.count).max() ?? 7
        func cell(_ text: String) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        var rows = ["  " + String(repeating: " ", count: nameWidth) + statuses.map { " " + cell($0.rawValue) }.joined()]
        for action in actions {
            let name = action.rawValue + String(repeating: " ", count: nameWidth - action.rawValue.count)
            rows.append("  " + name + statuses.map { " " + cell(String(count(action, $0))) }.joined())
        }
        return rows
    }

    static func failureLine(_ failure: ApplyFailure) -> String {
        var cause = failure.reason ?? failure.httpStatus.map { "HTTP \($0)" } ?? "failed"
        if let status = failure.httpStatus, !cause.contains(String(status)) { cause += " (HTTP \(status))" }
        if let scimType = failure.scimType { cause += " [\(scimType)]" }
        var detail = printable(failure.detail)
        if detail.count > 200 { detail = String(detail.prefix(199)) + "…" }
        let attempts = "\(failure.attempts) attempt\(failure.attempts == 1 ? "" : "s")"
        return "\(printable(failure.operationID)) \(failure.action.rawValue) \(printable(failure.userName)): "
            + "\(printable(cause))\(detail.isEmpty ? "" : ": " + detail) (\(attempts))"
    }

    static func durationText(_ duration: Duration) -> String {
        let seconds = duration.secondsValue
        if seconds < 60 { return rateText(seconds) + " s" }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60) min \(twoDigits(whole % 60)) s" }
        return "\(whole / 3600) h \(twoDigits(whole / 60 % 60)) min"
    }

    /// One decimal place (`12.3`).
    static func rateText(_ value: Double) -> String {
        guard value.isFinite, value >= 0 else { return "0.0" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    /// `text` with control characters (terminal escapes from a server's message) and line breaks
    /// replaced by spaces.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isControl($0) ? " " : $0 }))
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

/// ANSI colours for the summary, or none.
private struct TerminalPaint {
    var enabled: Bool

    func outcome(_ outcome: ApplyReport.Outcome) -> String {
        switch outcome {
        case .succeeded: return paint(outcome.rawValue, "1;32")
        case .partial: return paint(outcome.rawValue, "1;33")
        case .stopped: return paint(outcome.rawValue, "1;31")
        }
    }

    func failure(_ text: String) -> String { paint(text, "31") }

    private func paint(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
