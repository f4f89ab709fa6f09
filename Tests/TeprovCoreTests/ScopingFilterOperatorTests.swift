import Testing

@testable import TeprovCore

/// One row of the operator table: a clause applied to one attribute value.
struct ScopingCase: Sendable, CustomTestStringConvertible {
    var op: String
    var value: String?
    var actual: AttributeValue?
    var expected: Bool
    var note: ScopingClauseOutcome.Note?

    init(
        _ op: String, _ value: String?, _ actual: AttributeValue?, _ expected: Bool,
        _ note: ScopingClauseOutcome.Note? = nil
    ) {
        self.op = op
        self.value = value
        self.actual = actual
        self.expected = expected
        self.note = note
    }

    var testDescription: String {
        "\(op) \(value.map { $0.debugDescription } ?? "-") on \(actual.map { "\($0)" } ?? "absent") → \(expected)"
    }
}

func scopingRecord(_ attribute: String, _ value: AttributeValue?) -> SourceRecord {
    var record = SourceRecord(origin: RecordOrigin(file: "users.csv", line: 7, index: 5))
    record.appendUnchecked("id", .string("u-1"))
    if let value { record.appendUnchecked(AttributeKey(attribute), value) }
    return record
}

@Suite struct ScopingFilterOperatorTests {
    static let multi: AttributeValue = .multi([.string("Sales"), .string("HR")])
    static let single: AttributeValue = .multi([.string("Sales")])

    static let stringOperators: [ScopingCase] = [
        // EQUALS
        .init("EQUALS", "Sales", .string("Sales"), true),
        .init("EQUALS", "Sales", .string("Marketing"), false),
        .init("EQUALS", "Sales", .string("sales"), false),
        .init("EQUALS", "Sales", .string("Sales Team"), false),
        .init("EQUALS", "Sales", nil, false, .nullAttribute),
        .init("EQUALS", "Sales", .string(""), false, .nullAttribute),
        .init("EQUALS", "Sales", .multi([]), false, .nullAttribute),
        .init("EQUALS", "Sales", multi, false, .multiValued),
        .init("EQUALS", "Sales", single, false, .multiValued),
        .init("EQUALS", "42", .int(42), true),
        .init("EQUALS", "42", .string("42"), true),
        .init("EQUALS", "42", .double(42), true),
        .init("EQUALS", "042", .int(42), false),
        .init("EQUALS", "Zoe\u{0301}", .string("Zo\u{00E9}"), true),  // value NFC-normalized
        // NOT EQUALS
        .init("NOT EQUALS", "Sales", .string("Sales"), false),
        .init("NOT EQUALS", "Sales", .string("Marketing"), true),
        .init("NOT EQUALS", "Sales", .string("sales"), true),
        .init("NOT EQUALS", "Sales", nil, false, .nullAttribute),
        .init("NOT EQUALS", "Sales", .string(""), false, .nullAttribute),
        .init("NOT EQUALS", "Sales", multi, false, .multiValued),
        // Includes
        .init("Includes", "ale", .string("Sales"), true),
        .init("Includes", "ale", .string("Marketing"), false),
        .init("Includes", "ale", .string("SALES"), false),
        .init("Includes", "Sales", .string("Sales"), true),
        .init("Includes", "e", .string("Zo\u{00E9}"), false),  // ordinal on NFC: é is not e
        .init("Includes", "ale", nil, false, .nullAttribute),
        .init("Includes", "ale", multi, false, .multiValued),
        .init("Includes", "2", .int(123), true),
        // & (value contains the attribute)
        .init("&", "Sales,Marketing", .string("Sales"), true),
        .init("&", "Sales,Marketing", .string("Marketing"), true),
        .init("&", "Sales,Marketing", .string("HR"), false),
        .init("&", "Sales,Marketing", .string("sales"), false),
        .init("&", "Sales", .string("Sales,Marketing"), false),
        .init("&", "Sales,Marketing", nil, false, .nullAttribute),
        .init("&", "Sales,Marketing", multi, false, .multiValued),
        // !&
        .init("!&", "Sales,Marketing", .string("Sales"), false),
        .init("!&", "Sales,Marketing", .string("HR"), true),
        .init("!&", "Sales,Marketing", .string("sales"), true),
        .init("!&", "Sales,Marketing", nil, false, .nullAttribute),
        .init("!&", "Sales,Marketing", .string(""), false, .nullAttribute),
        .init("!&", "Sales,Marketing", multi, false, .multiValued),
        // ENDS_WITH
        .init("ENDS_WITH", "@contoso.com", .string("ann@contoso.com"), true),
        .init("ENDS_WITH", "@contoso.com", .string("ann@contoso.com.evil.net"), false),
        .init("ENDS_WITH", "@contoso.com", .string("ann@CONTOSO.COM"), false),
        .init("ENDS_WITH", "@contoso.com", .string("com"), false),
        .init("ENDS_WITH", "@contoso.com", nil, false, .nullAttribute),
        .init("ENDS_WITH", "@contoso.com", multi, false, .multiValued),
        // REGEX MATCH (unanchored, case-sensitive)
        .init("REGEX MATCH", "([1-9][0-9])", .string("42"), true),
        .init("REGEX MATCH", "([1-9][0-9])", .string("room 42b"), true),
        .init("REGEX MATCH", "([1-9][0-9])", .string("7"), false),
        .init("REGEX MATCH", "([1-9][0-9])", .int(42), true),
        .init("REGEX MATCH", ".*@contoso\\.com", .string("ann@contoso.com"), true),
        .init("REGEX MATCH", "sales", .string("Sales"), false),
        .init("REGEX MATCH", "(?i)sales", .string("Sales"), true),
        .init("REGEX MATCH", ".*", nil, false, .nullAttribute),
        .init("REGEX MATCH", ".*", multi, false, .multiValued),
        // NOT REGEX MATCH
        .init("NOT REGEX MATCH", "([1-9][0-9])", .string("7"), true),
        .init("NOT REGEX MATCH", "([1-9][0-9])", .string("42"), false),
        .init("NOT REGEX MATCH", "sales", .string("Sales"), true),
        .init("NOT REGEX MATCH", "x", nil, false, .nullAttribute),  // Entra: false on null
        .init("NOT REGEX MATCH", "x", multi, false, .multiValued),
    ]

    static let typedOperators: [ScopingCase] = [
        // EQUALS on booleans compares booleans for any boolean spelling
        .init("EQUALS", "true", .bool(true), true),
        .init("EQUALS", "True", .bool(true), true),
        .init("EQUALS", "TRUE", .string("true"), true),
        .init("EQUALS", "true", .bool(false), false),
        .init("EQUALS", "yes", .bool(true), false),
        .init("NOT EQUALS", "false", .bool(true), true),
        .init("NOT EQUALS", "False", .bool(false), false),
        // IS TRUE / IS FALSE
        .init("IS TRUE", nil, .bool(true), true),
        .init("IS TRUE", nil, .string("True"), true),
        .init("IS TRUE", nil, .string("TRUE"), true),
        .init("IS TRUE", nil, .bool(false), false),
        .init("IS TRUE", nil, .string("yes"), false, .notBoolean),
        .init("IS TRUE", nil, .int(1), false, .notBoolean),
        .init("IS TRUE", nil, nil, false, .nullAttribute),
        .init("IS TRUE", nil, .multi([.bool(true)]), false, .multiValued),
        .init("IS FALSE", nil, .bool(false), true),
        .init("IS FALSE", nil, .string("false"), true),
        .init("IS FALSE", nil, .bool(true), false),
        .init("IS FALSE", nil, .string("no"), false, .notBoolean),
        .init("IS FALSE", nil, nil, false, .nullAttribute),
        // IS NULL / IS NOT NULL
        .init("IS NULL", nil, nil, true),
        .init("IS NULL", nil, .string(""), true),
        .init("IS NULL", nil, .multi([]), true),
        .init("IS NULL", nil, .string("x"), false),
        .init("IS NULL", nil, .bool(false), false),
        .init("IS NULL", nil, multi, false, .multiValued),
        .init("IS NOT NULL", nil, nil, false, .nullAttribute),
        .init("IS NOT NULL", nil, .string(""), false, .nullAttribute),
        .init("IS NOT NULL", nil, .string("x"), true),
        .init("IS NOT NULL", nil, .bool(false), true),
        .init("IS NOT NULL", nil, multi, false, .multiValued),
        // Greater_Than / Greater_Than_OR_EQUALS: integers only
        .init("Greater_Than", "10", .int(11), true),
        .init("Greater_Than", "10", .int(10), false),
        .init("Greater_Than", "10", .int(9), false),
        .init("Greater_Than", "10", .int(-11), false),
        .init("Greater_Than", "10", .string("11"), true),
        .init("Greater_Than", "10", .string("9"), false),
        .init("Greater_Than", "10", .double(11), true),
        .init("Greater_Than", "10", .double(10.5), false, .notInteger),
        .init("Greater_Than", "10", .string("eleven"), false, .notInteger),
        .init("Greater_Than", "10", .string("10.5"), false, .notInteger),
        .init("Greater_Than", "10", .bool(true), false, .notInteger),
        .init("Greater_Than", "10", nil, false, .nullAttribute),
        .init("Greater_Than", "10", .multi([.int(11)]), false, .multiValued),
        .init("Greater_Than", "-5", .int(-4), true),
        .init("Greater_Than_OR_EQUALS", "10", .int(10), true),
        .init("Greater_Than_OR_EQUALS", "10", .int(11), true),
        .init("Greater_Than_OR_EQUALS", "10", .int(9), false),
        .init("Greater_Than_OR_EQUALS", "10", .string("10"), true),
        .init("Greater_Than_OR_EQUALS", "10", .string("10.0"), false, .notInteger),
        .init("Greater_Than_OR_EQUALS", "10", nil, false, .nullAttribute),
        .init("Greater_Than_OR_EQUALS", "10", multi, false, .multiValued),
    ]

    @Test(arguments: stringOperators + typedOperators)
    func operatorTable(_ row: ScopingCase) throws {
        let clause = try ScopingClause(attribute: "attr", operator: row.op, value: row.value)
        let (result, note) = clause.evaluate(scopingRecord("attr", row.actual))
        #expect(result == row.expected)
        #expect(note == row.note)
    }

    @Test func attributeNamesMatchCaseInsensitively() throws {
        let clause = try ScopingClause(attribute: "Department", operator: "EQUALS", value: "Sales")
        #expect(clause.evaluate(scopingRecord("department", .string("Sales"))).result)
        #expect(clause.evaluate(scopingRecord("DEPARTMENT", .string("Sales"))).result)
        #expect(!clause.evaluate(scopingRecord("dept", .string("Sales"))).result)
    }

    @Test(arguments: ScopingOperator.allCases)
    func everyListedSpellingParses(_ op: ScopingOperator) {
        #expect(ScopingOperator(name: op.rawValue) == op)
        #expect(ScopingOperator(name: op.rawValue.lowercased()) == op)
    }

    @Test(arguments: [
        ("NOT_EQUALS", ScopingOperator.notEquals), ("regex_match", .regexMatch), ("IS_NOT_NULL", .isNotNull),
        ("GREATER_THAN", .greaterThan), ("greater than or equals", .greaterThanOrEquals), ("ends with", .endsWith),
        ("includes", .includes), (" EQUALS ", .equals), ("NOT  EQUALS", .notEquals),
    ])
    func forgivingSpellings(name: String, expected: ScopingOperator) {
        #expect(ScopingOperator(name: name) == expected)
    }

    @Test(arguments: ["", "EQUAL", "LESS_THAN", "STARTS_WITH", "NOT INCLUDES", "&&", "!", "IsMemberOf", "NOTEQUALS"])
    func unknownOperatorsDoNotParse(_ name: String) {
        #expect(ScopingOperator(name: name) == nil)
    }

    @Test func regexTimeoutMakesTheClauseFalse() throws {
        let input = AttributeValue.string(String(repeating: "a", count: 36) + "!")
        for op in ["REGEX MATCH", "NOT REGEX MATCH"] {
            let clause = try ScopingClause(
                attribute: "attr", operator: op, value: "(a+)+$", regexTimeLimit: .milliseconds(30))
            let (result, note) = clause.evaluate(scopingRecord("attr", input))
            #expect(result == false, "\(op)")
            guard case .regexTimeout(let timeout) = note else {
                Issue.record("expected a timeout note for \(op), got \(String(describing: note))")
                continue
            }
            #expect(timeout.pattern == "(a+)+$")
            #expect(timeout.timeLimit == .milliseconds(30))
        }
    }
}
