import Yams

/// Reads a YAML or JSON config file (SPEC §5) into a `TeprovConfig`, with defaults filled in.
///
/// Unknown keys, wrong types and bad values are `TeprovError(.config)` naming the key path and line.
public enum ConfigLoader {
    static let topLevelKeys = [
        "scope", "skipDefaultAccess", "scopingFilters", "mappings", "actions", "deprovision", "compare",
        "ownership", "target", "safety",
    ]

    /// Loads and validates the config at `path`.
    public static func load(path: String) throws -> TeprovConfig {
        let bytes = try UTF8ChunkReader(path: path).readAll()
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TeprovError(.config, "is not valid UTF-8 text; save the config as UTF-8", file: path)
        }
        return try parse(text, file: path)
    }

    /// Parses config text; `file` is used in error messages.
    public static func parse(_ text: String, file: String) throws -> TeprovConfig {
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else { return TeprovConfig() }
            root = composed
        } catch let error as YamlError {
            throw yamlSyntaxError(error, file: file)
        }
        let top = ConfigNode(node: root, path: "", file: file)
        if top.isNull { return TeprovConfig() }
        let members = try top.mapping(allowedKeys: topLevelKeys)
        var config = TeprovConfig()
        if let node = members["scope"] { config.scope = try node.choice(TeprovConfig.ScopeMode.self) }
        if let node = members["skipDefaultAccess"] { config.skipDefaultAccess = try node.bool() }
        if let node = members["scopingFilters"] { config.scopingFilters = try scopingFilters(node) }
        if let node = members["mappings"] {
            config.mappings = try mappings(node)
            config.hasCustomMappings = true
        }
        if let node = members["actions"] {
            let actions = try node.mapping(allowedKeys: ["create", "update", "disable", "delete"])
            if let value = actions["create"] { config.actions.create = try value.bool() }
            if let value = actions["update"] { config.actions.update = try value.bool() }
            if let value = actions["disable"] { config.actions.disable = try value.bool() }
            if let value = actions["delete"] { config.actions.delete = try value.bool() }
        }
        if let node = members["deprovision"] {
            let deprovision = try node.mapping(allowedKeys: ["outOfScope", "softDeleted", "hardDeleted"])
            if let value = deprovision["outOfScope"] {
                config.deprovision.outOfScope = try value.choice(TeprovConfig.OutOfScopeAction.self)
            }
            if let value = deprovision["softDeleted"] {
                config.deprovision.softDeleted = try value.choice(TeprovConfig.SoftDeletedAction.self)
            }
            if let value = deprovision["hardDeleted"] {
                config.deprovision.hardDeleted = try value.choice(TeprovConfig.HardDeletedAction.self)
            }
        }
        if let node = members["compare"] {
            let compare = try node.mapping(allowedKeys: ["ignore"])
            if let value = compare["ignore"] {
                config.compareIgnore = try value.sequence().map { item in
                    do {
                        return try SCIMAttributePath(parsing: item.string()).description
                    } catch let error as SCIMPathError {
                        throw item.error(error.message)
                    }
                }
            }
        }
        if let node = members["ownership"] {
            let ownership = try node.mapping(allowedKeys: ["externalIdPattern"])
            if let value = ownership["externalIdPattern"] {
                let pattern = try value.string()
                do {
                    _ = try TimeLimitedRegex(pattern: pattern)
                } catch {
                    throw value.error("is not a valid regular expression (\(error)); fix the pattern")
                }
                config.externalIdPattern = pattern
            }
        }
        if let node = members["target"] {
            let target = try node.mapping(allowedKeys: ["patchStyle", "updateMethod"])
            if let value = target["patchStyle"] { config.patchStyle = try value.choice(TeprovConfig.PatchStyle.self) }
            if let value = target["updateMethod"] {
                config.updateMethod = try value.choice(TeprovConfig.UpdateMethod.self)
            }
        }
        if let node = members["safety"] { config.safety = try safety(node) }
        try checkConsistency(config, top: top, members: members)
        return config
    }

    private static func safety(_ node: ConfigNode) throws -> TeprovConfig.Safety {
        let members = try node.mapping(allowedKeys: [
            "deletionThreshold", "deletionThresholdPercent", "maxInvalidRecords", "maxInvalidPercent", "protectedUsers",
        ])
        var safety = TeprovConfig.Safety()
        if let value = members["deletionThreshold"] { safety.deletionThreshold = try nonNegative(value) }
        if let value = members["deletionThresholdPercent"] { safety.deletionThresholdPercent = try percent(value) }
        if let value = members["maxInvalidRecords"] { safety.maxInvalidRecords = try nonNegative(value) }
        if let value = members["maxInvalidPercent"] { safety.maxInvalidPercent = try percent(value) }
        if let value = members["protectedUsers"] { safety.protectedUsers = try value.strings() }
        return safety
    }

    private static func nonNegative(_ node: ConfigNode) throws -> Int {
        let value = try node.int()
        guard value >= 0 else { throw node.error("must be 0 or more") }
        return value
    }

    private static func percent(_ node: ConfigNode) throws -> Double {
        let value = try node.number()
        guard (0...100).contains(value) else { throw node.error("must be a percentage between 0 and 100") }
        return value
    }

    /// Rules that involve several keys.
    private static func checkConsistency(_ config: TeprovConfig, top: ConfigNode, members: [String: ConfigNode])
        throws
    {
        let disables =
            config.actions.disable
            && (config.deprovision.outOfScope == .disable || config.deprovision.softDeleted == .disable
                || config.deprovision.hardDeleted == .disable)
        if disables, !config.mappings.contains(where: { $0.target.attribute == "active" }) {
            let node = members["mappings"] ?? members["deprovision"] ?? top
            throw node.error(
                "the config disables users but no mapping targets active; add {target: active, source: "
                    + "\"Not([IsSoftDeleted])\"} or set deprovision to delete or none")
        }
    }

    private static func yamlSyntaxError(_ error: YamlError, file: String) -> TeprovError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return TeprovError(
                .config, "is not valid YAML or JSON (\(problem) at column \(mark.column)); fix the syntax",
                file: file, line: mark.line)
        case .composer(_, let problem, let mark, _):
            return TeprovError(
                .config, "is not valid YAML (\(problem) at column \(mark.column)); fix the syntax", file: file,
                line: mark.line)
        default:
            return TeprovError(.config, "could not be parsed (\(error)); fix the syntax", file: file)
        }
    }
}
