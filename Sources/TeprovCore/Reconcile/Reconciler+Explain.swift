extension ReconcileRun {
    /// Finds the users and targets each `--explain` name refers to.
    func setUpExplain() {
        guard !input.explain.isEmpty else { return }
        for name in input.explain {
            let folded = ValueComparison.folded(name)
            for (index, user) in input.users.enumerated() {
                let candidates =
                    [user.sourceId, user.userPrincipalName]
                    + user.values.compactMap { $0.value?.scalarText }
                if candidates.contains(where: { $0.map(ValueComparison.folded) == folded }) {
                    explainUsers[index] = name
                    let origin = user.origin
                    let scope = user.scope.reason.map { "out of scope: \($0.rawValue)" } ?? "in scope"
                    append(name, "source \(origin.file):\(origin.line) id \(user.sourceId ?? "(none)") — \(scope)")
                    for line in input.explainDetails[origin] ?? [] { append(name, "  " + line) }
                    if !user.scope.roleValues.isEmpty {
                        append(name, "  entitling roles: " + user.scope.roleValues.joined(separator: ", "))
                    }
                    for value in user.values {
                        append(name, "  mapped \(value.target) = \(value.value.map(Self.describe) ?? "null")")
                    }
                }
            }
            for (index, target) in targets.enumerated() {
                let candidates = [target.id, target.userName, target.externalId, target.workEmail]
                if candidates.contains(where: { $0.map(ValueComparison.folded) == folded }) {
                    explainTargets[index] = name
                    append(
                        name,
                        "target \(target.id) userName \(target.userName ?? "(none)") externalId \(target.externalId ?? "(none)") "
                            + "active \(target.active) — \(managed[index] ? "managed" : "unmanaged")")
                }
            }
        }
    }

    static func describe(_ value: AttributeValue) -> String {
        switch value {
        case .string(let text): return "\"\(text)\""
        default: return value.scalarText ?? "\(value)"
        }
    }

    func append(_ name: String, _ line: String) {
        explanations[name, default: []].append(line)
    }

    /// The line is only built when the user is being explained (an autoclosure: plans of a million users
    /// would otherwise format millions of lines nobody reads).
    func trace(user: Int, _ line: @autoclosure () -> String) {
        guard !explainUsers.isEmpty, let name = explainUsers[user] else { return }
        append(name, "  " + line())
    }

    func trace(target: Int, _ line: @autoclosure () -> String) {
        guard !explainTargets.isEmpty, let name = explainTargets[target] else { return }
        append(name, "  target \(targets[target].id): " + line())
    }
}
