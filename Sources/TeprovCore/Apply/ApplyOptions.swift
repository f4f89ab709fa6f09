/// How `teprov apply` runs a plan (SPEC §1 flags of `apply`, §8).
public struct ApplyOptions: Sendable {
    /// `--precondition`: `auto` sends `If-Match` when the plan recorded a `meta.version`, else GETs
    /// and compares the fingerprint; `get` always GETs; `none` sends without checking.
    public enum PreconditionMode: String, Sendable, CaseIterable {
        case auto, get, none
    }

    /// Requests in flight inside a phase (`--concurrency`).
    public var concurrency = 4
    public var precondition = PreconditionMode.auto
    /// `--only`: operations to run (ids or actions); `nil` runs every operation.
    public var only: OperationSelector?
    /// `--exclude`: operations not to run.
    public var exclude: OperationSelector?
    /// `--allow-deletes DIGEST`: releases a held plan when it names this plan's own digest.
    public var allowDeletesDigest: String?
    /// `--skip-held`: runs a held plan without its held operations.
    public var skipHeld = false
    /// More than this share of finished operations `StaleTarget` stops the run ("plan is stale").
    public var staleStopShare = 0.2
    /// Finished operations needed before the stale share is judged (a single stale user among the
    /// first finished must not stop a run).
    public var staleMinimumFinished = 10
    /// Quarantine: more than `quarantineShare` of the last `quarantineWindow` finished operations
    /// failing by transport errors, 5xx or exhausted 429 retries stops the run.
    public var quarantineWindow = 50
    public var quarantineShare = 0.4
    /// Finished operations needed before the quarantine share is judged.
    public var quarantineMinimumFinished = 10

    public init() {}
}

/// `--only` / `--exclude` values: comma-separated operation ids (`op-000001`) and actions
/// (`create,update,disable,delete`).
public struct OperationSelector: Sendable, Hashable {
    public var operationIDs: Set<String>
    public var actions: Set<PlanAction>

    /// Parses `text` (repeatable flags are joined by the caller with commas).
    /// - Throws: `TeprovError(.usage)` naming the flag for an empty list or an unknown word.
    public init(parsing text: String, flag: String) throws {
        var ids: Set<String> = []
        var actions: Set<PlanAction> = []
        for rawPart in text.split(separator: ",") {
            let part = String(rawPart).trimmingWhitespace()
            if part.isEmpty { continue }
            if let action = PlanAction(rawValue: part.lowercased()) {
                actions.insert(action)
            } else if part.hasPrefix("op-") {
                ids.insert(part)
            } else {
                throw TeprovError(
                    .usage,
                    "\(flag) got \"\(part)\", which is neither an operation id (op-000001) nor an action (create, update, disable, delete)"
                )
            }
        }
        guard !ids.isEmpty || !actions.isEmpty else {
            throw TeprovError(.usage, "\(flag) needs operation ids or actions, e.g. \(flag) create,update")
        }
        operationIDs = ids
        self.actions = actions
    }

    public func matches(_ operation: PlanOperation) -> Bool {
        operationIDs.contains(operation.id) || actions.contains(operation.action)
    }
}
