extension CanonicalJSONStream {
    /// Reads the rest of the value `token` starts, hashing it, as a `JSONValue` (member names and longer
    /// strings made through `names`, so repeated texts share storage).
    ///
    /// Members and elements are collected on scratch stacks and each object or array is then made once at
    /// its final size: plan values are small (request bodies, changed attributes), so growing every array
    /// by appending would reallocate most of them two or three times and leave them half empty.
    func readValue(startingWith token: JSONTokenizer.Token, names: PlanStringTable) throws -> JSONValue {
        switch token {
        case .string: return .string(names.string(tokenizer))
        case .number: return try tokenizer.numberValue()
        case .bool(let flag): return .bool(flag)
        case .null: return .null
        case .beginArray:
            let start = elementScratch.count
            while true {
                let element = try next()
                if element == .endArray { break }
                elementScratch.push(try readValue(startingWith: element, names: names))
            }
            return .array(elementScratch.take(from: start))
        case .beginObject:
            let start = memberScratch.count
            while true {
                let member = try next()
                if member == .endObject { break }
                let name = names.string(tokenizer)
                memberScratch.push((name, try readValue(startingWith: next(), names: names)))
            }
            return .object(memberScratch.take(from: start))
        case .key, .endObject, .endArray, .endOfInput:
            throw NotCanonical()
        }
    }
}
