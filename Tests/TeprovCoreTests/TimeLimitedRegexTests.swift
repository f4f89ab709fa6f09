import Foundation
import Testing

@testable import TeprovCore

@Suite struct TimeLimitedRegexTests {
    static let catastrophicInput = String(repeating: "a", count: 36) + "!"

    @Test(arguments: [
        ("([1-9][0-9])", "age 42", true),
        ("([1-9][0-9])", "age 7", false),
        (".*@contoso\\.com", "ann@contoso.com", true),
        ("contoso", "ann@contoso.com", true),  // unanchored search
        ("^contoso", "ann@contoso.com", false),
        ("Contoso", "ann@contoso.com", false),  // case-sensitive by default
        ("\\p{L}+", "Zoë", true),
        ("^Zo\\u00EB$", "Zoë", true),
        ("^.$", "😀", true),  // a code point, not a UTF-16 unit
    ])
    func searchesUnanchored(pattern: String, text: String, expected: Bool) throws {
        let regex = try TimeLimitedRegex(pattern: pattern)
        #expect(try regex.firstMatch(in: text) == expected)
    }

    @Test func caseInsensitiveOption() throws {
        let regex = try TimeLimitedRegex(pattern: "CONTOSO", caseInsensitive: true)
        #expect(try regex.firstMatch(in: "ann@contoso.com"))
    }

    @Test func emptyTextMatchesOnlyPatternsThatAcceptEmpty() throws {
        #expect(try TimeLimitedRegex(pattern: "^$").firstMatch(in: ""))
        #expect(try !TimeLimitedRegex(pattern: "a").firstMatch(in: ""))
    }

    @Test(arguments: [
        ("(\\w+)@(\\w+)\\.com", "ann@contoso.com", "$2\\$$1", "contoso$ann"),
        ("a", "banana", "o", "bonono"),
        ("x", "banana", "o", "banana"),
        ("^", "ann", "Mr ", "Mr ann"),
        ("\\s+", " a  b ", "_", "_a_b_"),
        ("é", "Zoé et Léa", "e", "Zoe et Lea"),
        ("(?<user>[^@]+)@.*", "ann@contoso.com", "$1", "ann"),
        ("😀", "a😀b😀", "-", "a-b-"),
    ])
    func replacesWithTemplates(pattern: String, text: String, template: String, expected: String) throws {
        let regex = try TimeLimitedRegex(pattern: pattern)
        #expect(try regex.replacingMatches(in: text, with: template) == expected)
    }

    @Test func matchesReportGroupRangesInUTF16() throws {
        let regex = try TimeLimitedRegex(pattern: "(?<user>\\w+)@(\\w+)")
        let text = "😀 ann@contoso, bob@fabrikam"
        let found = try regex.matches(in: text)
        let source = NSString(string: text)
        #expect(found.count == 2)
        #expect(found.map { source.substring(with: $0.range) } == ["ann@contoso", "bob@fabrikam"])
        #expect(found.map { source.substring(with: $0.range(withName: "user")) } == ["ann", "bob"])
        #expect(found.map { source.substring(with: $0.range(at: 2)) } == ["contoso", "fabrikam"])
        #expect(try regex.matches(in: "nobody here").isEmpty)
    }

    @Test func catastrophicPatternTimesOutQuickly() throws {
        let regex = try TimeLimitedRegex(pattern: "(a+)+$", timeLimit: .milliseconds(100))
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: RegexTimeout.self) { try regex.firstMatch(in: Self.catastrophicInput) }
        let elapsed = clock.now - start
        #expect(elapsed < .seconds(2), "took \(elapsed)")
        #expect(elapsed >= .milliseconds(100), "stopped before the limit: \(elapsed)")
    }

    @Test func catastrophicReplaceTimesOut() throws {
        let regex = try TimeLimitedRegex(pattern: "(a+)+$", timeLimit: .milliseconds(50))
        do {
            _ = try regex.replacingMatches(in: Self.catastrophicInput, with: "x")
            Issue.record("expected a timeout")
        } catch {
            #expect(error.pattern == "(a+)+$")
            #expect(error.message.contains("(a+)+$"))
            #expect(error.message.contains("took longer than"))
        }
    }

    @Test func regexIsReusableAfterATimeout() throws {
        let regex = try TimeLimitedRegex(pattern: "(a+)+$", timeLimit: .milliseconds(30))
        #expect(throws: RegexTimeout.self) { try regex.firstMatch(in: Self.catastrophicInput) }
        #expect(try regex.firstMatch(in: "aaa"))
        #expect(try !regex.firstMatch(in: "b"))
    }

    @Test func concurrentUseFromManyTasks() async throws {
        let regex = try TimeLimitedRegex(pattern: "^user(\\d+)@contoso\\.com$")
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var wrong = 0
                    for index in 0..<500 {
                        let number = worker * 1000 + index
                        let matched = (try? regex.firstMatch(in: "user\(number)@contoso.com")) ?? false
                        let replaced = try? regex.replacingMatches(in: "user\(number)@contoso.com", with: "$1")
                        if !matched || replaced != String(number) { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }

    @Test(arguments: [
        ("(a+", "expected ')'"),
        ("[a-", "expected ']'"),
        ("*a", "quantifier"),
        ("a{2,1}", "upper bound"),
    ])
    func invalidPatternNamesTheProblem(pattern: String, reasonFragment: String) {
        do {
            _ = try TimeLimitedRegex(pattern: pattern)
            Issue.record("expected \(pattern) to be rejected")
        } catch {
            #expect(error.pattern == pattern)
            #expect(error.reason.contains(reasonFragment), "\(error.reason)")
            #expect(error.message.contains(pattern.debugDescription))
            #expect(error.message.contains("not valid ICU syntax"))
        }
    }
}
