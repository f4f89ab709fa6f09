import Testing

@testable import TeprovCore

@Suite struct ConfigLoaderTests {
    func load(_ yaml: String) throws -> TeprovConfig { try ConfigLoader.parse(yaml, file: "config.yaml") }

    func configError(_ yaml: String) -> TeprovError? {
        do {
            _ = try load(yaml)
            return nil
        } catch let error as TeprovError {
            return error
        } catch {
            return nil
        }
    }

    @Test func emptyConfigGivesTheDefaults() throws {
        let config = try load("")
        #expect(config.scope == .assigned)
        #expect(config.skipDefaultAccess)
        #expect(
            config.mappings.map(\.target.description) == [
                "externalId", "userName", "active", "displayName", "emails[type eq \"work\"].value", "name.formatted",
            ])
        #expect(config.mappings.first?.caseExact == true)
        #expect(config.mappings.dropFirst().allSatisfy { !$0.caseExact })
        #expect(config.deprovision.outOfScope == .disable)
        #expect(config.deprovision.hardDeleted == .delete)
        #expect(config.safety.deletionThreshold == 500)
        #expect(config.safety.maxInvalidPercent == 5)
    }

    @Test func fullConfigIsRead() throws {
        let config = try load(
            """
            scope: all
            skipDefaultAccess: false
            scopingFilters:
              - - {attribute: department, operator: EQUALS, value: Sales}
                - {attribute: accountEnabled, operator: IS TRUE}
              - - {attribute: employeeId, operator: Greater_Than, value: "100"}
            mappings:
              - {target: externalId, source: "[id]", matchingPrecedence: 1}
              - {target: userName, source: "ToLower([userPrincipalName])", matchingPrecedence: 2, caseExact: true}
              - {target: active, source: "Not([IsSoftDeleted])"}
              - {target: title, source: "[jobTitle]", default: "Staff", apply: onCreate}
            actions: {create: false, update: true, disable: true, delete: false}
            deprovision: {outOfScope: none, softDeleted: none, hardDeleted: disable}
            compare: {ignore: ["name.formatted"]}
            ownership: {externalIdPattern: "^ext-"}
            target: {patchStyle: entra-legacy, updateMethod: put}
            safety: {deletionThreshold: 3, deletionThresholdPercent: 10, maxInvalidRecords: 0, maxInvalidPercent: 1.5,
                     protectedUsers: [admin@contoso.com]}
            """)
        #expect(config.scope == .all)
        #expect(!config.skipDefaultAccess)
        #expect(config.scopingFilters.filters.count == 2)
        #expect(config.scopingFilters.filters[0].clauses.count == 2)
        #expect(config.hasCustomMappings)
        #expect(config.mappings.count == 4)
        #expect(config.mappings[1].caseExact)
        #expect(config.mappings[3].apply == .onCreate)
        #expect(config.mappings[3].defaultValue == "Staff")
        #expect(config.actions.create == false && config.actions.delete == false)
        #expect(config.deprovision.outOfScope == .none)
        #expect(config.deprovision.hardDeleted == .disable)
        #expect(config.compareIgnore == ["name.formatted"])
        #expect(config.externalIdPattern == "^ext-")
        #expect(config.patchStyle == .entraLegacy)
        #expect(config.updateMethod == .put)
        #expect(config.safety.deletionThreshold == 3)
        #expect(config.safety.maxInvalidPercent == 1.5)
        #expect(config.safety.protectedUsers == ["admin@contoso.com"])
    }

    @Test func jsonConfigParsesWithTheSameModel() throws {
        let config = try load(#"{"scope": "all", "safety": {"deletionThreshold": 7}}"#)
        #expect(config.scope == .all)
        #expect(config.safety.deletionThreshold == 7)
    }

    /// Every config error class names the key (path) and the YAML line.
    @Test(
        arguments: [
            ("scope: all\nscopee: all\n", "scopee: unknown key (did you mean scope?)", 2),
            ("safety:\n  deletionTreshold: 3\n", "safety.deletionTreshold: unknown key", 2),
            ("scope: some\n", "scope: \"some\" is not allowed; use one of assigned, all", 1),
            ("skipDefaultAccess: maybe\n", "skipDefaultAccess: must be true or false", 1),
            ("safety:\n  deletionThreshold: many\n", "safety.deletionThreshold: must be a whole number", 2),
            ("safety:\n  deletionThreshold: -1\n", "safety.deletionThreshold: must be 0 or more", 2),
            ("safety:\n  maxInvalidPercent: 150\n", "safety.maxInvalidPercent: must be a percentage", 2),
            ("actions: [create]\n", "actions: must be a mapping", 1),
            ("deprovision:\n  softDeleted: delete\n", "deprovision.softDeleted: \"delete\" is not allowed", 2),
            (
                "scopingFilters:\n  - - {attribute: department, operator: EQUAL, value: x}\n",
                "scopingFilters[0][0].operator", 2
            ),
            (
                "scopingFilters:\n  - - {attribute: employeeId, operator: Greater_Than, value: ten}\n",
                "scopingFilters[0][0].value", 2
            ),
            (
                "scopingFilters:\n  - - {attribute: upn, operator: REGEX MATCH, value: \"(\"}\n",
                "scopingFilters[0][0].value", 2
            ),
            (
                "mappings:\n  - {target: externalId, source: \"[id]\", matchingPrecedence: 1}\n  - {target: active, source: \"Not([IsSoftDeleted]\"}\n",
                "mappings[1].source: the expression \"Not([IsSoftDeleted]\" has a syntax error at character", 3
            ),
            (
                "mappings:\n  - {target: externalId, source: \"[id]\", matchingPrecedence: 1}\n  - {target: roles, source: \"[x]\"}\n",
                "mappings[1].target: \"roles\" cannot be written over SCIM", 3
            ),
            (
                "mappings:\n  - {target: externalId, source: \"[id]\", matchingPrecedence: 1}\n  - {target: favouriteColour, source: \"[x]\"}\n",
                "mappings[1].target: \"favouriteColour\" is not an attribute of a SCIM user", 3
            ),
            (
                "mappings:\n  - {target: externalId, source: \"[id]\", matchingPrecedence: 1}\n  - {target: emails, source: \"[mail]\"}\n",
                "mappings[1].target: \"emails\" is multi-valued", 3
            ),
            (
                "mappings:\n  - {target: displayName, source: \"[id]\", matchingPrecedence: 1}\n",
                "mappings[0].matchingPrecedence: only externalId and userName can match", 2
            ),
            (
                "mappings:\n  - {target: displayName, source: \"[displayName]\"}\n",
                "mappings: no mapping has a matchingPrecedence", 2
            ),
            (
                "mappings:\n  - {target: externalId, source: \"[id]\", matchingPrecedence: 1}\n",
                "the config disables users but no mapping targets active", 2
            ),
            (
                "ownership:\n  externalIdPattern: \"[\"\n",
                "ownership.externalIdPattern: is not a valid regular expression", 2
            ),
            ("scope: [unclosed\n", "is not valid YAML", 2),
        ] as [(String, String, Int)])
    func errorsNameTheKeyAndLine(yaml: String, expected: String, line: Int) throws {
        let error = try #require(configError(yaml))
        #expect(error.code == .config)
        #expect(error.exitCode == 4)
        #expect(error.message.contains(expected), "message was: \(error.message)")
        #expect(error.file == "config.yaml")
        #expect(error.line == line, "message was: \(error.message)")
    }

    @Test func disablingWithoutActiveIsFineWhenNothingDisables() throws {
        let config = try load(
            """
            mappings:
              - {target: externalId, source: "[id]", matchingPrecedence: 1}
            deprovision: {outOfScope: delete, softDeleted: none, hardDeleted: delete}
            """)
        #expect(config.mappings.count == 1)
    }

    @Test(arguments: [
        ("userName", "userName"), ("USERNAME", "userName"), ("name.givenName", "name.givenName"),
        ("Emails[Type eq \"work\"].Value", "emails[type eq \"work\"].value"),
        ("addresses[type eq \"work\"].locality", "addresses[type eq \"work\"].locality"),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"
        ),
    ])
    func targetPathsAreCanonicalised(text: String, canonical: String) throws {
        #expect(try SCIMAttributePath(parsing: text).description == canonical)
    }

    @Test func activeIsABooleanTarget() throws {
        #expect(try SCIMAttributePath(parsing: "active").valueType == .boolean)
        #expect(try SCIMAttributePath(parsing: "displayName").valueType == .string)
    }
}
