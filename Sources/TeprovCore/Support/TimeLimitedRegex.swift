import Foundation

/// A compiled ICU regular expression whose every match attempt stops after a time limit.
///
/// Used by scoping filters (`REGEX MATCH`, `NOT REGEX MATCH`) and the expression language's `Replace`.
/// Compile once, reuse from any thread.
///
/// How the limit works (measured on Linux, swift-corelibs-foundation over its bundled ICU):
/// `NSRegularExpression` is ICU's `uregex`. With `.reportProgress`, CoreFoundation installs ICU's
/// match callback (`uregex_setMatchCallback`) and find-progress callback, calls our block with a
/// `nil` result while a match runs, and aborts the ICU match as soon as the block sets `stop`.
/// The block compares the clock with a deadline, so `(a+)+$` on 36 `a`s and a `!` (2^36 paths)
/// stops after ~100 ms (the block runs roughly every 0.15 ms). The same option works on Darwin.
/// Calling ICU directly (`uregex_setTimeLimit`) would have needed a second, system ICU next to
/// Foundation's and a system-library target; this needs neither.
///
/// Thread safety: `NSRegularExpression` is immutable; CoreFoundation checks its single ICU matcher
/// out with an atomic compare-and-swap and clones it (`uregex_clone`) for concurrent callers.
///
/// The limit is wall-clock time per match: it restarts after each match found, so `replacingMatches`
/// on a text with many quick matches is not cut short. A timeout depends on the machine's load, which
/// is why only pathological patterns (far beyond the limit) should ever reach it.
public final class TimeLimitedRegex: @unchecked Sendable {
    /// The pattern as written (ICU syntax).
    public let pattern: String
    public let caseInsensitive: Bool
    /// The longest a single match attempt may run.
    public let timeLimit: Duration
    private let expression: NSRegularExpression

    /// Compiles `pattern` (ICU syntax).
    /// - Throws: `RegexError` when ICU rejects the pattern; its message names the pattern and the problem.
    public init(pattern: String, caseInsensitive: Bool = false, timeLimit: Duration = .milliseconds(100))
        throws(RegexError)
    {
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
        self.timeLimit = timeLimit
        do {
            expression = try NSRegularExpression(
                pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
        } catch {
            throw RegexError(pattern: pattern, reason: RegexError.reason(for: pattern))
        }
    }

    /// `true` when the pattern matches anywhere in `text` (an unanchored search, like .NET's `Regex.IsMatch`).
    /// - Throws: `RegexTimeout` when the search runs longer than `timeLimit`.
    public func firstMatch(in text: String) throws(RegexTimeout) -> Bool {
        var found = false
        try enumerateMatches(in: text) { _ in
            found = true
            return false
        }
        return found
    }

    /// Every match in `text`, in order, with its capture-group ranges (UTF-16 offsets into `text`); the
    /// expression language's `Replace` needs group ranges and .NET-style `${name}` templates.
    /// - Throws: `RegexTimeout` when one match attempt runs longer than `timeLimit`.
    public func matches(in text: String) throws(RegexTimeout) -> [NSTextCheckingResult] {
        var matches: [NSTextCheckingResult] = []
        try enumerateMatches(in: text) { match in
            matches.append(match)
            return true
        }
        return matches
    }

    /// Replaces every match in `text` with `template`, where `$0`…`$9` name the capture groups and
    /// `\` escapes the next character (ICU/Foundation template syntax).
    /// - Throws: `RegexTimeout` when one match attempt runs longer than `timeLimit`.
    public func replacingMatches(in text: String, with template: String) throws(RegexTimeout) -> String {
        let matches = try matches(in: text)
        guard !matches.isEmpty else { return text }
        let source = NSString(string: text)
        var result = ""
        var cursor = 0
        for match in matches {
            let range = match.range
            result += source.substring(with: NSRange(location: cursor, length: range.location - cursor))
            result += expression.replacementString(for: match, in: text, offset: 0, template: template)
            cursor = range.location + range.length
        }
        result += source.substring(from: cursor)
        return result
    }

    /// Runs the search, handing each match to `onMatch` (return `false` to stop), and enforces the limit.
    private func enumerateMatches(
        in text: String, _ onMatch: (NSTextCheckingResult) -> Bool
    ) throws(RegexTimeout) {
        let clock = ContinuousClock()
        let limit = timeLimit
        var deadline = clock.now.advanced(by: limit)
        var timedOut = false
        let whole = NSRange(location: 0, length: text.utf16.count)
        // corelibs-foundation declares the block `@escaping`, although it runs only during the call.
        withoutActuallyEscaping(onMatch) { onMatch in
            expression.enumerateMatches(in: text, options: [.reportProgress], range: whole) { match, _, stop in
                if let match {
                    if !onMatch(match) {
                        stop.pointee = true
                        return
                    }
                    deadline = clock.now.advanced(by: limit)
                } else if clock.now > deadline {
                    timedOut = true
                    stop.pointee = true
                }
            }
        }
        if timedOut { throw RegexTimeout(pattern: pattern, timeLimit: timeLimit) }
    }
}

extension TimeLimitedRegex: Equatable {
    /// Two regexes are equal when they were built from the same pattern, options and limit.
    public static func == (lhs: TimeLimitedRegex, rhs: TimeLimitedRegex) -> Bool {
        lhs.pattern == rhs.pattern && lhs.caseInsensitive == rhs.caseInsensitive && lhs.timeLimit == rhs.timeLimit
    }
}

/// A pattern ICU cannot compile.
public struct RegexError: Error, Sendable, Equatable, CustomStringConvertible {
    public let pattern: String
    /// What is wrong with the pattern, e.g. `expected ')'`.
    public let reason: String

    /// One sentence naming the pattern and the problem.
    public var message: String {
        "the regular expression \(pattern.debugDescription) is not valid ICU syntax (\(reason)); fix the pattern"
    }

    public var description: String { message }

    /// Foundation reports only "invalid value" for ICU's compile errors (CoreFoundation drops ICU's
    /// error code), so the reason comes from Swift's own regex parser, whose syntax follows ICU's and
    /// whose messages say what is wrong and where; a pattern only ICU rejects gets a generic reason.
    static func reason(for pattern: String) -> String {
        do {
            _ = try Regex(pattern)
        } catch {
            let text = String(describing: error)
            if !text.isEmpty { return text }
        }
        return "ICU rejected it"
    }
}

/// A match attempt that ran longer than its time limit (a pattern with catastrophic backtracking).
public struct RegexTimeout: Error, Sendable, Equatable, CustomStringConvertible {
    public let pattern: String
    public let timeLimit: Duration

    /// One sentence naming the pattern and the limit.
    public var message: String {
        "the regular expression \(pattern.debugDescription) took longer than \(timeLimit) to match and was stopped; "
            + "simplify the pattern (avoid nested quantifiers such as (a+)+)"
    }

    public var description: String { message }
}
