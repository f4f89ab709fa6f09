/// What `plan` prepares on the second core while the first reads the exports: the snapshot with its
/// users indexed, then the SHA-256 of every input file. Failures are kept and thrown where the
/// sequential pipeline would have met them.
struct PlanPreparation: Sendable {
    struct Snapshot: Sendable {
        var info: SnapshotInfo
        var targets: [TargetUser]
        var indexes: TargetIndexes
    }

    var snapshot: Result<Snapshot, any Error>
    private var hashes: [String: Result<String, any Error>]

    init(snapshot: Result<Snapshot, any Error>, hashes: [String: Result<String, any Error>]) {
        self.snapshot = snapshot
        self.hashes = hashes
    }

    /// The lower-case hex SHA-256 of an input file.
    func sha256(_ path: String) throws -> String {
        guard let hash = hashes[path] else { return try SHA256Digest.hex(ofFile: path) }
        return try hash.get()
    }
}

extension PlanPipeline {
    /// Starts reading the snapshot and hashing the inputs on another thread.
    static func startPreparation(_ options: Options, config: TeprovConfig) -> BackgroundWork<PlanPreparation> {
        let snapshotPath = options.snapshot
        let snapshotOptions = SnapshotReader.Options(
            paths: Set(config.mappings.map(\.target)), keepRawResources: config.updateMethod == .put,
            allowIncomplete: options.allowIncompleteSnapshot)
        let externalIdPattern = config.externalIdPattern
        let directory = options.directory
        let hashed =
            options.users + options.deleted
            + [directory.assignments, directory.appRoles, directory.groupMembers].compactMap { $0 }
            + [options.snapshot] + (options.configPath.map { [$0] } ?? [])
        return BackgroundWork {
            let snapshot = Result { () throws -> PlanPreparation.Snapshot in
                let (info, targets) = try SnapshotReader.read(path: snapshotPath, options: snapshotOptions)
                let indexes = TargetIndexes(targets: targets, externalIdPattern: externalIdPattern)
                return PlanPreparation.Snapshot(info: info, targets: targets, indexes: indexes)
            }
            var hashes: [String: Result<String, any Error>] = [:]
            for path in hashed where hashes[path] == nil {
                hashes[path] = Result { try SHA256Digest.hex(ofFile: path) }
            }
            return PlanPreparation(snapshot: snapshot, hashes: hashes)
        }
    }
}
