import Testing

@testable import TeprovCore

@Suite struct ScopingFilterConfigTests {
    typealias Spec = ScopingFilterSet.ClauseSpec

    static let valid = Spec(attribute: "department", operator: "EQUALS", value: "Sales")

    /// Builds `[[valid, bad]]` and returns the error, which must sit at `scopingFilters[0][1]`.
    func buildError(for bad: Spec) -> ScopingClauseError? {
        do {
            _ = try ScopingFilterSet(specs: [[Self.valid], [Self.valid, bad]])
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        (
            Spec(attribute: "department", operator: "LIKE", value: "Sales"), "scopingFilters[1][1].operator",
            "not a scoping operator"
        ),
        (
            Spec(attribute: "department", operator: nil, value: "Sales"), "scopingFilters[1][1].operator",
            "has no operator"
        ),
        (
            Spec(attribute: nil, operator: "EQUALS", value: "Sales"), "scopingFilters[1][1].attribute",
            "names no attribute"
        ),
        (
            Spec(attribute: "  ", operator: "EQUALS", value: "Sales"), "scopingFilters[1][1].attribute",
            "names no attribute"
        ),
        (Spec(attribute: "department", operator: "EQUALS", value: nil), "scopingFilters[1][1].value", "needs a value"),
        (Spec(attribute: "department", operator: "Includes", value: ""), "scopingFilters[1][1].value", "needs a value"),
        (
            Spec(attribute: "age", operator: "Greater_Than", value: "ten"), "scopingFilters[1][1].value",
            "must be an integer"
        ),
        (
            Spec(attribute: "age", operator: "Greater_Than_OR_EQUALS", value: "10.5"), "scopingFilters[1][1].value",
            "must be an integer"
        ),
        (Spec(attribute: "age", operator: "Greater_Than", value: nil), "scopingFilters[1][1].value", "needs a value"),
        (Spec(attribute: "upn", operator: "REGEX MATCH", value: "(a+"), "scopingFilters[1][1].value", "expected ')'"),
        (
            Spec(attribute: "upn", operator: "NOT REGEX MATCH", value: "[a-"), "scopingFilters[1][1].value",
            "not valid ICU syntax"
        ),
        (
            Spec(attribute: "accountEnabled", operator: "IS TRUE", value: "Sales"), "scopingFilters[1][1].value",
            "takes no value"
        ),
    ])
    func invalidClausesNameTheirKeyPath(spec: Spec, keyPath: String, reasonFragment: String) throws {
        let error = try #require(buildError(for: spec))
        #expect(error.keyPath() == keyPath)
        #expect(error.reason.contains(reasonFragment), "\(error.reason)")
        #expect(error.message().hasPrefix(keyPath + ": "))
    }

    @Test func emptyFilterIsAnError() throws {
        do {
            _ = try ScopingFilterSet(specs: [[Self.valid], []])
            Issue.record("expected an error")
        } catch {
            #expect(error.keyPath() == "scopingFilters[1]")
            #expect(error.field == nil)
            #expect(error.reason.contains("no clauses"))
        }
    }

    @Test func configErrorCarriesCodeFileAndLine() throws {
        let error = try #require(
            buildError(for: Spec(attribute: "age", operator: "Greater_Than", value: "ten")))
        let configError = error.configError(file: "teprov.yaml", line: 12)
        #expect(configError.code == .config)
        #expect(configError.exitCode == 4)
        #expect(
            configError.description
                == "teprov.yaml, line 12: scopingFilters[1][1].value: the value of Greater_Than must be an integer, "
                + "not \"ten\"; write a whole number such as 10")
    }

    @Test func valuelessOperatorsAcceptNoValueOrAnEmptyOne() throws {
        for op in ["IS TRUE", "IS FALSE", "IS NULL", "IS NOT NULL"] {
            #expect(try ScopingClause(attribute: "a", operator: op, value: nil).value == nil)
            #expect(try ScopingClause(attribute: "a", operator: op, value: "").value == nil)
        }
    }

    @Test func validSpecsBuildFiltersInOrder() throws {
        let set = try ScopingFilterSet(specs: [
            [Self.valid, Spec(attribute: "accountEnabled", operator: "is true", value: nil)],
            [Spec(attribute: "employeeId", operator: "Greater_Than", value: " 100 ")],
        ])
        #expect(set.filters.count == 2)
        #expect(set.filters[0].clauses.map(\.op) == [.equals, .isTrue])
        #expect(set.filters[1].clauses[0].integerValue == 100)
        #expect(set.attributes == ["department", "accountenabled", "employeeid"])
        #expect(set.filters[0].clauses[0].description == "department EQUALS \"Sales\"")
        #expect(set.filters[0].clauses[1].description == "accountEnabled IS TRUE")
    }

    @Test func noSpecsMeansNoFilters() throws {
        let set = try ScopingFilterSet(specs: [])
        #expect(set.isEmpty)
        #expect(set == .none)
    }
}
