/// What `plan` prepares on the second core while the first reads the exports: the snapshot with its
/// users indexed. The SHA-256 of the input files is worked out meanwhile at idle priority (`InputHashes`).
/// Failures are kept and thrown where the sequential pipeline would have met them.
struct PlanPreparation: Sendable {
    struct Snapshot: Sendable {
        var info: SnapshotInfo
        var targets: [TargetUser]
        var indexes: TargetIndexes
    }

    var snapshot: Result<Snapshot, any Error>
    var hashes: InputHashes

    /// The lower-case hex SHA-256 of an input file.
    func sha256(_ path: String) throws -> String {
        try hashes.sha256(path)
    }
}

extension PlanPipeline {
    /// Starts reading the snapshot on another thread, and hashing the inputs on an idle-priority one.
    static func startPreparation(_ options: Options, config: TeprovConfig) -> (
        work: BackgroundWork<PlanPreparation>, hashes: InputHashes
    ) {
        let snapshotPath = options.snapshot
        let snapshotOptions = SnapshotReader.Options(
            paths: Set(config.mappings.map(\.target)), keepRawResources: config.updateMethod == .put,
            allowIncomplete: options.allowIncompleteSnapshot)
        let externalIdPattern = config.externalIdPattern
        let directory = options.directory
        let hashes = InputHashes(
            options.users + options.deleted
                + [directory.assignments, directory.appRoles, directory.groupMembers].compactMap { $0 }
                + [options.snapshot] + (options.configPath.map { [$0] } ?? []), background: true)
        let work = BackgroundWork {
            let snapshot = Result { () throws -> PlanPreparation.Snapshot in
                let (info, targets) = try SnapshotReader.read(path: snapshotPath, options: snapshotOptions)
                let indexes = TargetIndexes(targets: targets, externalIdPattern: externalIdPattern)
                return PlanPreparation.Snapshot(info: info, targets: targets, indexes: indexes)
            }
            return PlanPreparation(snapshot: snapshot, hashes: hashes)
        }
        return (work, hashes)
    }
}
