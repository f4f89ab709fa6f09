extension ConfigLoader {
    /// `scopingFilters: [[{attribute, operator, value}, ...], ...]`.
    static func scopingFilters(_ node: ConfigNode) throws -> ScopingFilterSet {
        if node.isNull { return ScopingFilterSet(filters: []) }
        let filterNodes = try node.sequence()
        var specs: [[ScopingFilterSet.ClauseSpec]] = []
        var clauseNodes: [[ConfigNode]] = []
        for filterNode in filterNodes {
            let clauses = try filterNode.sequence()
            clauseNodes.append(clauses)
            specs.append(
                try clauses.map { clause in
                    let members = try clause.mapping(allowedKeys: ["attribute", "operator", "value"])
                    return ScopingFilterSet.ClauseSpec(
                        attribute: try members["attribute"].flatMap { $0.isNull ? nil : try $0.string() },
                        operator: try members["operator"].flatMap { $0.isNull ? nil : try $0.string() },
                        value: try members["value"].flatMap { $0.isNull ? nil : try $0.string() })
                })
        }
        do {
            return try ScopingFilterSet(specs: specs)
        } catch {
            // Point at the clause (or filter) the error is about.
            var line = node.line
            if let filterIndex = error.filterIndex, filterIndex < clauseNodes.count {
                line = filterNodes[filterIndex].line
                if let clauseIndex = error.clauseIndex, clauseIndex < clauseNodes[filterIndex].count {
                    line = clauseNodes[filterIndex][clauseIndex].line
                }
            }
            throw error.configError(root: node.path, file: node.file, line: line)
        }
    }

    /// `mappings: [{target, source, matchingPrecedence, default, apply, caseExact}, ...]`.
    static func mappings(_ node: ConfigNode) throws -> [AttributeMapping] {
        var result: [AttributeMapping] = []
        var precedences: [Int: String] = [:]
        for item in try node.sequence() {
            let members = try item.mapping(allowedKeys: [
                "target", "source", "matchingPrecedence", "default", "apply", "caseExact",
            ])
            guard let targetNode = members["target"] else { throw item.error("needs a target") }
            guard let sourceNode = members["source"] else { throw item.error("needs a source expression") }
            let target: SCIMAttributePath
            do {
                target = try SCIMAttributePath(parsing: targetNode.string())
            } catch let error as SCIMPathError {
                throw targetNode.error(error.message)
            }
            if let earlier = result.first(where: { $0.target == target }) {
                throw targetNode.error(
                    "maps \(target) a second time; keep one mapping per target (\(earlier.sourceText))")
            }
            var precedence: Int?
            if let precedenceNode = members["matchingPrecedence"], !precedenceNode.isNull {
                let value = try precedenceNode.int()
                guard value >= 1 else { throw precedenceNode.error("must be 1 or more (1 is tried first)") }
                guard target.attribute == "externalId" || target.attribute == "userName" else {
                    throw precedenceNode.error(
                        "only externalId and userName can match users (ThousandEyes filters on nothing else)")
                }
                if let other = precedences[value] {
                    throw precedenceNode.error(
                        "\(value) is already the precedence of \(other); give each a distinct one")
                }
                precedences[value] = target.description
                precedence = value
            }
            let apply = try members["apply"].map { try $0.choice(AttributeMapping.Apply.self) } ?? .always
            let caseExact = try members["caseExact"].map { try $0.bool() }
            let defaultValue = try members["default"].flatMap { $0.isNull ? nil : try $0.string() }
            let sourceText = try sourceNode.string()
            do {
                result.append(
                    try AttributeMapping(
                        target: target, source: sourceText, matchingPrecedence: precedence, defaultValue: defaultValue,
                        apply: apply, caseExact: caseExact))
            } catch {
                throw sourceNode.error(
                    "the expression \"\(sourceText)\" has a syntax error at character \(error.position): \(error.message)"
                )
            }
        }
        guard !result.isEmpty else { throw node.error("lists no mappings; remove the key to use the default table") }
        guard precedences.count > 0 else {
            throw node.error(
                "no mapping has a matchingPrecedence; mark externalId and/or userName as matching attributes")
        }
        return result
    }
}
