extension PlanRenderer {
    /// The plan document as is (JSON in the plan layout, `JSONValue.Style.plan`, as the file has it). With `--action`/`--user`, `operations`, `skipped` and `diagnostics`
    /// keep only the selected entries (the digest then no longer covers the output, which is a view, not a
    /// plan); with `--redact`, every string is masked.
    func renderJSON(_ document: JSONValue, selection: PlanSelection) -> String {
        var output = document
        if selection.isFiltered, case .object(let members) = document {
            output = .object(
                members.map { key, value in
                    switch key {
                    case "operations": return (key, Self.keeping(selection.operationIndices, of: value))
                    case "skipped": return (key, Self.keeping(selection.skippedIndices, of: value))
                    case "diagnostics": return (key, Self.keeping(selection.diagnosticIndices, of: value))
                    default: return (key, value)
                    }
                })
        }
        if options.redact { output = EmailRedaction.redact(output) }
        return output.serialized(style: .plan)
    }

    /// The elements of an array at `indices` (which come from decoding the same array, so they are in range).
    static func keeping(_ indices: [Int], of value: JSONValue) -> JSONValue {
        guard case .array(let elements) = value else { return value }
        return .array(indices.compactMap { elements.indices.contains($0) ? elements[$0] : nil })
    }
}
