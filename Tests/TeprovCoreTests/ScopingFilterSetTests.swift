import Testing

@testable import TeprovCore

@Suite struct ScopingFilterSetTests {
    typealias Spec = ScopingFilterSet.ClauseSpec

    /// (department EQUALS Sales AND country EQUALS US) OR (jobTitle Includes Engineer).
    static func salesInUSOrEngineers() throws -> ScopingFilterSet {
        try ScopingFilterSet(specs: [
            [
                Spec(attribute: "department", operator: "EQUALS", value: "Sales"),
                Spec(attribute: "country", operator: "EQUALS", value: "US"),
            ],
            [Spec(attribute: "jobTitle", operator: "Includes", value: "Engineer")],
        ])
    }

    static func person(_ fields: [(String, AttributeValue)], line: Int = 3) -> SourceRecord {
        SourceRecord(
            origin: RecordOrigin(file: "users.json", line: line, index: 0),
            fields: fields.map { SourceRecord.Field(key: AttributeKey($0.0), value: $0.1) })
    }

    @Test(
        arguments: [
            ([("department", "Sales"), ("country", "US")], true),
            ([("department", "Sales"), ("country", "FR")], false),
            ([("department", "Sales")], false),
            ([("jobTitle", "Senior Engineer")], true),
            ([("department", "HR"), ("country", "US"), ("jobTitle", "Senior Engineer")], true),
            ([("department", "HR"), ("country", "US"), ("jobTitle", "engineer")], false),
            ([], false),
        ] as [([(String, String)], Bool)])
    func orOfAnds(fields: [(String, String)], expected: Bool) throws {
        let set = try Self.salesInUSOrEngineers()
        let record = Self.person(fields.map { ($0.0, .string($0.1)) })
        var diagnostics: [Diagnostic] = []
        #expect(set.passes(record, diagnostics: &diagnostics) == expected)
        #expect(set.explain(record).passed == expected)
        #expect(diagnostics.isEmpty)
    }

    @Test func emptySetLetsEveryonePass() {
        var diagnostics: [Diagnostic] = []
        #expect(ScopingFilterSet.none.passes(Self.person([]), diagnostics: &diagnostics))
        let explanation = ScopingFilterSet.none.explain(Self.person([("department", .string("HR"))]))
        #expect(explanation.passed)
        #expect(explanation.filters.isEmpty)
        #expect(explanation.renderedLines == ["scoping filters: none configured → passes"])
    }

    @Test func explainListsEveryClauseWithActualValues() throws {
        let set = try Self.salesInUSOrEngineers()
        let record = Self.person([("Department", .string("Sales")), ("country", .string("FR"))])
        let explanation = set.explain(record)
        #expect(!explanation.passed)
        #expect(explanation.filters.map(\.passed) == [false, false])
        let clauses = explanation.filters.flatMap(\.clauses)
        #expect(clauses.map(\.attribute) == ["department", "country", "jobTitle"])
        #expect(clauses.map(\.op) == [.equals, .equals, .includes])
        #expect(clauses.map(\.expectedValue) == ["Sales", "US", "Engineer"])
        #expect(clauses.map(\.actualValue) == ["Sales", "FR", nil])
        #expect(clauses.map(\.result) == [true, false, false])
        #expect(clauses.map(\.note) == [nil, nil, .nullAttribute])
        #expect(
            explanation.renderedLines == [
                "scopingFilters[0][0]: department EQUALS \"Sales\": actual \"Sales\" → true",
                "scopingFilters[0][1]: country EQUALS \"US\": actual \"FR\" → false",
                "scopingFilters[0]: a clause failed",
                "scopingFilters[1][0]: jobTitle Includes \"Engineer\": actual null → false (the attribute is null or empty)",
                "scopingFilters[1]: a clause failed",
                "scoping filters: fails (no filter held) → ScopingFilter",
            ])
    }

    @Test func explainRendersTypedAndMultiValuedActuals() throws {
        let set = try ScopingFilterSet(specs: [
            [
                Spec(attribute: "accountEnabled", operator: "IS TRUE", value: nil),
                Spec(attribute: "proxyAddresses", operator: "Includes", value: "contoso"),
            ]
        ])
        let record = Self.person([
            ("accountEnabled", .bool(true)),
            ("proxyAddresses", .multi([.string("smtp:a@contoso.com"), .string("smtp:b@contoso.com")])),
        ])
        let clauses = set.explain(record).filters[0].clauses
        #expect(clauses.map(\.actualValue) == ["True", "[\"smtp:a@contoso.com\", \"smtp:b@contoso.com\"]"])
        #expect(clauses.map(\.result) == [true, false])
        #expect(clauses[1].note == .multiValued)
    }

    @Test func multiValuedAttributeFailsTheClauseWithADiagnostic() throws {
        let set = try ScopingFilterSet(specs: [
            [Spec(attribute: "memberOf", operator: "EQUALS", value: "Sales")],
            [Spec(attribute: "department", operator: "EQUALS", value: "Sales")],
        ])
        let record = Self.person(
            [("memberOf", .multi([.string("Sales"), .string("HR")])), ("department", .string("Sales"))], line: 41)
        var diagnostics: [Diagnostic] = []
        #expect(set.passes(record, diagnostics: &diagnostics))  // the second filter holds
        #expect(diagnostics.count == 1)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.file == "users.json")
        #expect(diagnostic.line == 41)
        #expect(
            diagnostic.message.hasPrefix(
                "scoping clause scopingFilters[0][0] (memberOf EQUALS \"Sales\") counts as false"))
        #expect(diagnostic.message.contains("multi-valued"))
        #expect(set.explain(record).diagnostics == diagnostics)
    }

    @Test func regexTimeoutFailsTheClauseWithADiagnostic() throws {
        let set = try ScopingFilterSet(
            specs: [[Spec(attribute: "mailNickname", operator: "NOT REGEX MATCH", value: "(a+)+$")]],
            regexTimeLimit: .milliseconds(30))
        let record = Self.person([("mailNickname", .string(String(repeating: "a", count: 36) + "!"))])
        var diagnostics: [Diagnostic] = []
        #expect(!set.passes(record, diagnostics: &diagnostics))
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("took longer than") == true)
        #expect(diagnostics.first?.message.contains("scopingFilters[0][0]") == true)
    }

    @Test func passesStopsAtTheFirstFailingClause() throws {
        // The multi-valued clause comes after a failing one in the same filter: it is never evaluated.
        let set = try ScopingFilterSet(specs: [
            [
                Spec(attribute: "department", operator: "EQUALS", value: "Sales"),
                Spec(attribute: "memberOf", operator: "EQUALS", value: "x"),
            ]
        ])
        let record = Self.person([("department", .string("HR")), ("memberOf", .multi([.string("x"), .string("y")]))])
        var diagnostics: [Diagnostic] = []
        #expect(!set.passes(record, diagnostics: &diagnostics))
        #expect(diagnostics.isEmpty)
        #expect(set.explain(record).diagnostics.count == 1)  // explain evaluates every clause
    }

    @Test func evaluatesConcurrently() async throws {
        let set = try Self.salesInUSOrEngineers()
        let passed = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var count = 0
                    var diagnostics: [Diagnostic] = []
                    for index in 0..<1_000 {
                        let country = (index + worker) % 2 == 0 ? "US" : "FR"
                        let record = Self.person([("department", .string("Sales")), ("country", .string(country))])
                        if set.passes(record, diagnostics: &diagnostics) { count += 1 }
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(passed == 2_000)
    }
}
