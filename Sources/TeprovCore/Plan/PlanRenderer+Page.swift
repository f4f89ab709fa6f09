/// One page of a Markdown or HTML review page: the same page number applied to each list of the selection
/// (operations, skipped entries, diagnostics), `pageSize` entries of each.
struct PlanPage {
    let selection: PlanSelection
    /// 1-based.
    let number: Int
    let pageCount: Int
    let pageSize: Int
    let operations: ArraySlice<PlanOperation>
    let skipped: ArraySlice<SkippedEntry>
    let diagnostics: ArraySlice<Diagnostic>

    /// - Throws: `TeprovError(.usage)` when `number` is not between 1 and the page count.
    init(selection: PlanSelection, number: Int, pageSize: Int = PlanRenderer.operationsPerPage) throws {
        let longest = max(selection.operations.count, selection.skipped.count, selection.diagnostics.count)
        let pageCount = max(1, (longest + pageSize - 1) / pageSize)
        guard number >= 1, number <= pageCount else {
            let pages = pageCount == 1 ? "1 page" : "\(pageCount) pages"
            throw TeprovError(
                .usage, "--page \(number) does not exist: this rendering has \(pages); give --page 1 to \(pageCount)")
        }
        self.selection = selection
        self.number = number
        self.pageCount = pageCount
        self.pageSize = pageSize
        func slice<Element>(_ list: [Element]) -> ArraySlice<Element> {
            let start = min(list.count, (number - 1) * pageSize)
            return list[start..<min(list.count, start + pageSize)]
        }
        operations = slice(selection.operations)
        skipped = slice(selection.skipped)
        diagnostics = slice(selection.diagnostics)
    }

    var isPaginated: Bool { pageCount > 1 }

    /// Says which part of a list this page shows and how to see the rest; `nil` when the page holds the whole list.
    /// - Parameters:
    ///   - noun: plural name of the entries, e.g. "operations".
    ///   - window: the indices of the list this page shows.
    ///   - total: the length of the whole list.
    ///   - command: `teprov show …` with the same format and filters, without `--page`.
    func note(noun: String, window: Range<Int>, total: Int, command: String) -> String? {
        guard window.count < total else { return nil }
        let grouped = PlanValueText.grouped
        if window.isEmpty {
            return "No \(noun) on page \(number) of \(pageCount): all \(grouped(total)) are on earlier pages "
                + "(\(command) --page 1)."
        }
        var text =
            "Page \(number) of \(pageCount) shows \(noun) \(grouped(window.lowerBound + 1))–\(grouped(window.upperBound)) "
            + "of \(grouped(total))."
        let after = total - window.upperBound
        if after > 0 {
            let noun = after == 1 ? String(noun.dropLast()) : noun
            text +=
                " \(grouped(after)) more \(noun) \(after == 1 ? "is" : "are") not on this page; "
                + "see the next \(grouped(min(after, pageSize))) with: \(command) --page \(number + 1)"
        } else {
            text += " The earlier ones: \(command) --page \(number - 1)"
        }
        return text
    }

    /// The `note` for each list, in page order: operations, skipped entries, diagnostics.
    func operationsNote(command: String) -> String? {
        note(noun: "operations", window: operations.indices, total: selection.operations.count, command: command)
    }

    func skippedNote(command: String) -> String? {
        note(noun: "skipped entries", window: skipped.indices, total: selection.skipped.count, command: command)
    }

    func diagnosticsNote(command: String) -> String? {
        note(noun: "diagnostics", window: diagnostics.indices, total: selection.diagnostics.count, command: command)
    }
}

extension PlanRenderer.Options {
    /// The `teprov show` command line that renders this selection again (for "see the next page" hints).
    var showCommand: String {
        var words = ["teprov", "show", ShellQuoting.quoted(planName), "--format", format.rawValue]
        if let actions {
            words += ["--action", PlanAction.allCases.filter(actions.contains).map(\.rawValue).joined(separator: ",")]
        }
        if let user { words += ["--user", ShellQuoting.quoted(redact ? EmailRedaction.mask(user) : user)] }
        if redact { words.append("--redact") }
        return words.joined(separator: " ")
    }
}

/// Quotes a word for a POSIX shell when it needs it.
enum ShellQuoting {
    static func quoted(_ word: String) -> String {
        let plain =
            !word.isEmpty
            && word.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "@%+=:,./_-".unicodeScalars.contains(scalar))
            }
        if plain { return word }
        return "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
