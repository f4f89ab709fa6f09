import Foundation

/// The parts of a DSML v2 search response that say whether the export is complete.
extension DSMLDialectReader {
    func checkDone(_ done: XMLTreeNode, line: Int) throws {
        var code: String?
        var description: String?
        var message: String?
        done.forEachChildElement { child in
            if child.is(vocabulary.resultCode, in: vocabulary.namespace) {
                code = child.withAttribute(vocabulary.code) { String(decoding: $0, as: UTF8.self) }
                description = child.withAttribute(vocabulary.descr) { String(decoding: $0, as: UTF8.self) }
            } else if child.is(vocabulary.errorMessage, in: vocabulary.namespace) {
                message = elementText(child)
            }
        }
        guard let code else {
            throw context.documentError(
                line: line, "has a searchResultDone without a resultCode; the export may be partial, export it again")
        }
        guard code.trimmingCharacters(in: .whitespacesAndNewlines) != "0" else { return }
        let details = [description, message].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        throw context.documentError(
            line: line,
            "the directory search ended with result code \(code)\(details.isEmpty ? "" : " (\(details))"), "
                + "so the export is partial and is refused; raise the size limit or page the search, then export again")
    }

    func errorResponse(_ element: XMLTreeNode, line: Int) -> TeprovError {
        let type = element.withAttribute(vocabulary.type) { String(decoding: $0, as: UTF8.self) } ?? "unknown"
        var message = ""
        element.forEachChildElement { child in
            if child.isNamed(vocabulary.message) || child.isNamed(vocabulary.errorMessage) {
                message = elementText(child) ?? ""
            }
        }
        let details = message.isEmpty ? "" : ": \(message)"
        return context.documentError(
            line: line,
            "holds a DSML errorResponse (\(type)\(details)), so the export is partial and is refused; "
                + "fix the request and export again")
    }

    func missingDone(line: Int) -> TeprovError {
        context.documentError(
            line: line,
            "has a searchResponse without searchResultDone, so the export may be partial and is refused; "
                + "export the users again")
    }

    private func elementText(_ element: XMLTreeNode) -> String? {
        element.withText { try? TextNormalization.value($0) } ?? nil
    }
}
