/// `--redact`: masks every e-mail address found in a value, keeping the first character of the local part and
/// the domain (`alice.smith@contoso.com` → `a***@contoso.com`), so a review page can be shared without the
/// list of people in it while staying readable per domain.
enum EmailRedaction {
    /// `text` with each address in it masked; text without `@` is returned unchanged.
    static func mask(_ text: String) -> String {
        guard text.contains("@") else { return text }
        let characters = Array(text)
        var output = ""
        var copiedUpTo = 0
        var index = 0
        while index < characters.count {
            guard characters[index] == "@" else {
                index += 1
                continue
            }
            var localStart = index
            while localStart > copiedUpTo, isLocalPartCharacter(characters[localStart - 1]) { localStart -= 1 }
            while localStart < index, characters[localStart] == "." { localStart += 1 }
            var domainEnd = index + 1
            while domainEnd < characters.count, isDomainCharacter(characters[domainEnd]) { domainEnd += 1 }
            // A sentence may end right after the address: "… alice@contoso.com."
            while domainEnd > index + 1, characters[domainEnd - 1] == "." || characters[domainEnd - 1] == "-" {
                domainEnd -= 1
            }
            guard localStart < index, domainEnd > index + 1 else {
                index += 1
                continue
            }
            output += String(characters[copiedUpTo..<localStart])
            output.append(characters[localStart])
            output += "***@" + String(characters[(index + 1)..<domainEnd])
            copiedUpTo = domainEnd
            index = domainEnd
        }
        output += String(characters[copiedUpTo...])
        return output
    }

    /// RFC 5322 atext plus the dot, minus the quote characters that surround values in messages.
    static func isLocalPartCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || "._%+-!#$&*/=?^~{}|".contains(character)
    }

    static func isDomainCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "-" || character == "."
    }

    /// Every string in `value`, at any depth, masked (object keys are left alone).
    static func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): return .string(mask(text))
        case .array(let values): return .array(values.map(redact))
        case .object(let members): return .object(members.map { ($0.0, redact($0.1)) })
        case .null, .bool, .int, .double: return value
        }
    }

    /// The plan with every address in its values masked: userNames, UPNs, emails in changes and request
    /// bodies, details and diagnostic messages.
    static func redact(_ plan: Plan) -> Plan {
        var copy = plan
        copy.targetURL = plan.targetURL.map(mask)
        copy.inputs = redact(plan.inputs)
        copy.operations = plan.operations.map { operation in
            var masked = operation
            masked.source = operation.source.map(redact)
            masked.target = operation.target.map(redact)
            masked.changes = operation.changes.map {
                AttributeChange(attribute: $0.attribute, old: redact($0.old), new: redact($0.new))
            }
            masked.request = PlanRequest(
                method: operation.request.method, path: mask(operation.request.path),
                body: operation.request.body.map(redact))
            return masked
        }
        copy.skipped = plan.skipped.map {
            SkippedEntry(
                reason: $0.reason, source: $0.source.map(redact), target: $0.target.map(redact), detail: mask($0.detail)
            )
        }
        copy.diagnostics = plan.diagnostics.map {
            Diagnostic($0.severity, file: mask($0.file), line: $0.line, mask($0.message))
        }
        return copy
    }

    static func redact(_ source: SourceReference) -> SourceReference {
        SourceReference(
            id: source.id.map(mask), userPrincipalName: source.userPrincipalName.map(mask), file: mask(source.file),
            line: source.line)
    }

    static func redact(_ target: TargetReference) -> TargetReference {
        TargetReference(id: mask(target.id), userName: target.userName.map(mask))
    }
}
