import Testing

@testable import TeprovCore

struct PlanOrderingTests {
    /// The order SPEC §6 describes, written plainly: phase, lower-cased userName bytes, source id bytes, and
    /// the original position for ties (a stable sort).
    private func referenceOrder(_ operations: [PlanOperation]) -> [String] {
        let keyed = operations.enumerated().map { position, operation in
            (
                operation.action.phase, Array(operation.displayUserName.lowercased().utf8),
                Array((operation.source?.id ?? "").utf8), position, operation.reason
            )
        }
        return keyed.sorted { lhs, rhs in
            if lhs.0 != rhs.0 { return lhs.0 < rhs.0 }
            if lhs.1 != rhs.1 { return lhs.1.lexicographicallyPrecedes(rhs.1) }
            if lhs.2 != rhs.2 { return lhs.2.lexicographicallyPrecedes(rhs.2) }
            return lhs.3 < rhs.3
        }.map { $0.4 }
    }

    private func operation(_ number: Int, _ action: PlanAction, name: String?, sourceID: String?) -> PlanOperation {
        let created = action == .create && name != nil
        return PlanOperation(
            id: "", action: action, reason: "#\(number)", held: false,
            source: sourceID.map { SourceReference(id: $0, userPrincipalName: nil, file: "users.csv", line: number) },
            target: created ? nil : TargetReference(id: "t\(number)", userName: name), matchedBy: nil,
            changes: created ? [AttributeChange(attribute: "userName", old: .null, new: .string(name ?? ""))] : [],
            request: PlanRequest(method: "POST", path: "/Users", body: nil), precondition: nil)
    }

    @Test func operationsFollowPhaseNameSourceIDAndThenTheirFormerPlace() {
        // Names that share their first eight bytes or are shorter than eight, differ only in case, hold a NUL
        // or non-ASCII letters (lower-cased by Unicode rules), and equal names with equal or differing ids.
        let names: [String?] = [
            "alexander.smith@contoso.com", "alexander.smythe@contoso.com", "Alexander.Smith@contoso.com", "alex",
            "alexande", "alexander", "al\u{0}x", "al", "", "ÉLODIE@contoso.com", "élodie@contoso.com", "zoë",
            "ZOË", "Zoe", nil, "b", "B",
        ]
        let ids: [String?] = [nil, "", "1", "10", "2", "a1b2", "A1B2"]
        let actions: [PlanAction] = [.create, .update, .disable, .delete]
        var operations: [PlanOperation] = []
        var seed: UInt64 = 0x5EED
        for number in 0..<2000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let pick = Int(truncatingIfNeeded: seed >> 33)
            operations.append(
                operation(
                    number, actions[pick % actions.count], name: names[(pick / 4) % names.count],
                    sourceID: ids[(pick / 68) % ids.count]))
        }
        let expected = referenceOrder(operations)
        let ordered = PlanOrdering.ordered(operations)
        #expect(ordered.map(\.reason) == expected)
        #expect(ordered.map(\.id) == (1...2000).map { PlanOrdering.opId($0) })
    }
}
