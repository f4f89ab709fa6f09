import Testing

@testable import TeprovCore

@Suite struct ExpressionTargetValueTypeTests {
    @Test(arguments: [
        (AttributeValue.string("True"), true), (.string("true"), true), (.string("TRUE"), true), (.bool(true), true),
        (.string("False"), false), (.string("false"), false), (.bool(false), false), (.multi([.string("True")]), true),
    ])
    func booleanTargets(value: AttributeValue, expected: Bool) {
        var diagnostics: [String] = []
        #expect(TargetValueType.boolean.convert(value, diagnostics: &diagnostics) == .bool(expected))
        #expect(diagnostics.isEmpty)
    }

    @Test(arguments: [AttributeValue.string("yes"), .int(1), .string(""), .multi([.bool(true), .bool(false)])])
    func nonBooleansGiveNullWithADiagnostic(value: AttributeValue) {
        var diagnostics: [String] = []
        #expect(TargetValueType.boolean.convert(value, diagnostics: &diagnostics) == nil)
        #expect(diagnostics.count == 1)
    }

    @Test(arguments: [
        (AttributeValue.string("Ann"), AttributeValue?.some(.string("Ann"))), (.bool(true), .string("True")),
        (.bool(false), .string("False")), (.int(42), .string("42")), (.double(2.5), .string("2.5")),
        (.string(""), nil), (.multi([.string("a")]), .string("a")), (.multi([]), nil),
    ])
    func stringTargets(value: AttributeValue, expected: AttributeValue?) {
        var diagnostics: [String] = []
        #expect(TargetValueType.string.convert(value, diagnostics: &diagnostics) == expected)
        #expect(diagnostics.isEmpty)
    }

    @Test func severalValuesForAStringTarget() {
        var diagnostics: [String] = []
        #expect(TargetValueType.string.convert(.multi([.string("a"), .string("b")]), diagnostics: &diagnostics) == nil)
        #expect(diagnostics == ["the expression gives 2 values but the target holds one; use Join to combine them"])
    }

    @Test func nullStaysNullWithoutADiagnostic() {
        var diagnostics: [String] = []
        #expect(TargetValueType.boolean.convert(nil, diagnostics: &diagnostics) == nil)
        #expect(diagnostics.isEmpty)
    }

    @Test func convertingAResultKeepsItsDiagnosticsAndFlag() throws {
        let active = try ExpressionFixture.evaluate(#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#)
        #expect(TargetValueType.boolean.convert(active) == ExpressionResult(value: .bool(true)))
        let odd = TargetValueType.boolean.convert(ExpressionResult(value: .string("maybe"), diagnostics: ["earlier"]))
        #expect(odd.value == nil)
        #expect(odd.diagnostics == ["earlier", #""maybe" is not True or False, so the boolean target gets no value"#])
    }
}
