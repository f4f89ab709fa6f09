/// Which documented form a `Replace` call takes (FUNC "Replace"), decided at parse time from the argument
/// positions that are filled: `Replace(source, oldValue, regexPattern, regexGroupName, replacementValue,
/// replacementAttributeName, template)`.
struct ReplaceForm: Sendable {
    enum Mode: Sendable, Hashable {
        /// oldValue + replacementValue: every occurrence of oldValue in source becomes replacementValue.
        case literal
        /// oldValue + template: every occurrence of oldValue in template becomes source.
        case template
        /// regexPattern + replacementValue: every match becomes replacementValue, where `$1`, `${name}`, `$&`
        /// and `$$` work as in .NET.
        case regex
        /// regexPattern + regexGroupName + replacementValue: in every match, the group's text becomes
        /// replacementValue (literally).
        case regexGroup
        /// regexPattern + regexGroupName + replacementAttributeName: source when it has a value, else the group's
        /// text in the first match of the replacement attribute.
        case regexGroupFromAttribute
    }

    let mode: Mode
    /// Compiled once, with the per-match time limit scoping filters use too.
    let regex: TimeLimitedRegex?
    let groupName: String?
    /// The named groups `(?<name>…)` of the pattern.
    let groupNames: Set<String>

    init(mode: Mode, regex: TimeLimitedRegex? = nil, groupName: String? = nil, groupNames: Set<String> = []) {
        self.mode = mode
        self.regex = regex
        self.groupName = groupName
        self.groupNames = groupNames
    }

    /// The names of the `(?<name>…)` groups of an ICU pattern (escapes and character classes skipped).
    static func namedGroups(in pattern: String) -> Set<String> {
        let scalars = Array(pattern.unicodeScalars)
        var names: Set<String> = []
        var index = 0
        var inClass = false
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                index += 2
                continue
            }
            if inClass {
                if scalar == "]" { inClass = false }
                index += 1
                continue
            }
            if scalar == "[" {
                inClass = true
            } else if scalar == "(", index + 3 < scalars.count, scalars[index + 1] == "?", scalars[index + 2] == "<",
                scalars[index + 3] != "=", scalars[index + 3] != "!"
            {
                var name = String.UnicodeScalarView()
                var cursor = index + 3
                while cursor < scalars.count, scalars[cursor] != ">" {
                    name.append(scalars[cursor])
                    cursor += 1
                }
                names.insert(String(name))
                index = cursor
            }
            index += 1
        }
        return names
    }
}
