import Foundation

/// The refusals of SPEC §8 that stop `apply` before anything is sent (exit 3), and its warnings.
public enum ApplyPreflight {
    /// Checks a loaded plan against the apply flags.
    /// - Parameters:
    ///   - url: `--url` (normalized, without a trailing `/`), or `nil` for `--offline`.
    /// - Returns: warnings to print (an old plan).
    /// - Throws: `TeprovError(.safety)` when the digest does not verify, the URL is not the plan's
    ///   target, the plan is held without a release, or `--allow-deletes` names another digest.
    public static func check(_ loaded: PlanFile.Loaded, planPath: String, url: String?, options: ApplyOptions) throws
        -> [String]
    {
        let plan = loaded.plan
        guard loaded.digestVerified else {
            throw TeprovError(
                .safety,
                "does not match its digest (recorded \(plan.digest), computed \(loaded.computedDigest)): it was edited or damaged; make a new plan with teprov plan",
                file: planPath)
        }
        if let url, let planned = plan.targetURL, !planned.isEmpty, normalizedURL(planned) != normalizedURL(url) {
            throw TeprovError(
                .safety,
                "was made for \(planned), not \(url); apply it to the URL its snapshot came from, or make a new plan from a snapshot of \(url)",
                file: planPath)
        }
        if let release = options.allowDeletesDigest, release != plan.digest {
            throw TeprovError(
                .safety,
                "has digest \(plan.digest), but --allow-deletes names \(release); release a held plan with its own digest",
                file: planPath)
        }
        if plan.safety.held, options.allowDeletesDigest == nil, !options.skipHeld {
            let held = plan.operations.filter(\.held).count
            throw TeprovError(
                .safety,
                "is held: \(held) deletion\(held == 1 ? "" : "s") passed the safety threshold; review it with teprov show, then run again with --allow-deletes \(plan.digest) to release it, or --skip-held to run everything else",
                file: planPath)
        }
        var warnings: [String] = []
        if let created = ISO8601DateFormatter().date(from: plan.createdAt), Date().timeIntervalSince(created) > 86_400 {
            let hours = Int(Date().timeIntervalSince(created) / 3600)
            warnings.append(
                "\(planPath): the plan is \(hours) hours old; the target may have changed since (preconditions will catch changed users), consider a fresh snapshot and plan"
            )
        }
        return warnings
    }

    /// A URL compared without case in scheme and host, and without a trailing `/`.
    static func normalizedURL(_ url: String) -> String {
        var text = url
        while text.hasSuffix("/") { text.removeLast() }
        guard let components = URLComponents(string: text) else { return text.lowercased() }
        var normalized = components
        normalized.scheme = components.scheme?.lowercased()
        normalized.host = components.host?.lowercased()
        return normalized.string ?? text
    }
}
