extension TeprovConfig {
    /// The effective config (defaults filled in) as JSON, as the plan records it and `validate --config` prints it.
    public var effectiveJSON: JSONValue {
        let filters: [JSONValue] = scopingFilters.filters.map { filter in
            .array(
                filter.clauses.map { clause in
                    .object([
                        ("attribute", .string(clause.attributeName)),
                        ("operator", .string(clause.op.rawValue)),
                        ("value", clause.value.map { .string($0) } ?? .null),
                    ])
                })
        }
        let mappingValues: [JSONValue] = mappings.map { mapping in
            .object([
                ("target", .string(mapping.target.description)),
                ("source", .string(mapping.sourceText)),
                ("matchingPrecedence", mapping.matchingPrecedence.map { .int(Int64($0)) } ?? .null),
                ("default", mapping.defaultValue.map { .string($0) } ?? .null),
                ("apply", .string(mapping.apply.rawValue)),
                ("caseExact", .bool(mapping.caseExact)),
            ])
        }
        return .object([
            ("scope", .string(scope.rawValue)),
            ("skipDefaultAccess", .bool(skipDefaultAccess)),
            ("scopingFilters", .array(filters)),
            ("mappings", .array(mappingValues)),
            (
                "actions",
                .object([
                    ("create", .bool(actions.create)), ("update", .bool(actions.update)),
                    ("disable", .bool(actions.disable)), ("delete", .bool(actions.delete)),
                ])
            ),
            (
                "deprovision",
                .object([
                    ("outOfScope", .string(deprovision.outOfScope.rawValue)),
                    ("softDeleted", .string(deprovision.softDeleted.rawValue)),
                    ("hardDeleted", .string(deprovision.hardDeleted.rawValue)),
                ])
            ),
            ("compare", .object([("ignore", .array(compareIgnore.map { .string($0) }))])),
            ("ownership", .object([("externalIdPattern", .string(externalIdPattern))])),
            (
                "target",
                .object([
                    ("patchStyle", .string(patchStyle.rawValue)), ("updateMethod", .string(updateMethod.rawValue)),
                ])
            ),
            (
                "safety",
                .object([
                    ("deletionThreshold", .int(Int64(safety.deletionThreshold))),
                    ("deletionThresholdPercent", .double(safety.deletionThresholdPercent)),
                    ("maxInvalidRecords", .int(Int64(safety.maxInvalidRecords))),
                    ("maxInvalidPercent", .double(safety.maxInvalidPercent)),
                    ("protectedUsers", .array(safety.protectedUsers.map { .string($0) })),
                ])
            ),
        ])
    }
}
