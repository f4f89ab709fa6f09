/// Evaluates the configured mappings for each record (SPEC §4 "Mappings").
public struct DesiredUserBuilder: Sendable {
    public let mappings: [AttributeMapping]
    let layout: MappingLayout
    /// Each mapping's evaluation, target type and target text (for diagnostics), by slot: read per record
    /// without copying whole `AttributeMapping`s.
    private let programs: [MappingProgram]
    private let valueTypes: [TargetValueType]
    private let targetTexts: [String]

    public init(mappings: [AttributeMapping]) {
        self.mappings = mappings
        self.layout = MappingLayout(mappings: mappings)
        self.programs = mappings.map { MappingProgram($0.source) }
        self.valueTypes = mappings.map(\.valueType)
        self.targetTexts = mappings.map(\.target.description)
    }

    /// The record attributes the mappings read (for projection).
    public var referencedAttributes: Set<AttributeKey> {
        mappings.reduce(into: Set<AttributeKey>()) { $0.formUnion($1.source.referencedAttributes) }
    }

    /// Maps one record. `[IsSoftDeleted]` is "not in scope".
    public func build(_ record: SourceRecord, scope: ScopeDecision, fromDeletedExport: Bool) -> DesiredUser {
        build(record, scope: scope, fromDeletedExport: fromDeletedExport, diagnostics: [])
    }

    /// Maps one record; `diagnostics` (the scoping ones) come first in the user's diagnostics.
    func build(_ record: SourceRecord, scope: ScopeDecision, fromDeletedExport: Bool, diagnostics: [Diagnostic])
        -> DesiredUser
    {
        var diagnostics = diagnostics
        var ignoredFlowSlots: [Int] = []
        let isSoftDeleted = !scope.inScope
        var sourceId: AttributeValue?
        var principalName: AttributeValue?
        let mapped = record.fields.withUnsafeBufferPointer { fields in
            sourceId = ExpressionEvaluator.recordValue(ScopeEvaluator.idKey, in: fields)
            principalName = ExpressionEvaluator.recordValue(ScopeEvaluator.userPrincipalNameKey, in: fields)
            return scope.roleValues.withUnsafeBufferPointer { roles in
                [AttributeValue?](unsafeUninitializedCapacity: programs.count) { buffer, count in
                    for slot in 0..<programs.count {
                        var messages: [String] = []
                        var ignoreFlow = false
                        let raw = programs[slot].evaluate(
                            fields: fields, isSoftDeleted: isSoftDeleted, appRoleValues: roles, messages: &messages,
                            ignoreFlow: &ignoreFlow)
                        if ignoreFlow { ignoredFlowSlots.append(slot) }
                        let value = valueTypes[slot].convert(raw, diagnostics: &messages)
                        for message in messages {
                            diagnostics.append(
                                Diagnostic(
                                    .warning, file: record.origin.file, line: record.origin.line,
                                    "\(targetTexts[slot]): \(message)"))
                        }
                        (buffer.baseAddress.unsafelyUnwrapped + slot).initialize(to: value)
                        count = slot + 1
                    }
                }
            }
        }
        // `rawMatchingValues` are told from `sourceId` and `userPrincipalName` unless a source is multi-valued
        // or the matching mappings read other attributes.
        let rawKept =
            layout.matchingSourcesAreKept && sourceId?.isMultiValued != true && principalName?.isMultiValued != true
        return DesiredUser.make(
            origin: record.origin, sourceId: sourceId?.scalarText, userPrincipalName: principalName?.scalarText,
            scope: scope, fromDeletedExport: fromDeletedExport, diagnostics: diagnostics, layout: layout,
            mapped: mapped, ignoredFlowSlots: ignoredFlowSlots,
            storedRawMatchingValues: rawKept ? nil : rawMatchingValues(of: record))
    }

    /// The mapping diagnostics `build` gives for a record, without building the user (`validate`).
    func diagnose(_ record: SourceRecord, scope: ScopeDecision, into diagnostics: inout [Diagnostic]) {
        let isSoftDeleted = !scope.inScope
        record.fields.withUnsafeBufferPointer { fields in
            scope.roleValues.withUnsafeBufferPointer { roles in
                for slot in 0..<programs.count where programs[slot].mayDiagnose(fields, into: valueTypes[slot]) {
                    var messages: [String] = []
                    var ignoreFlow = false
                    let raw = programs[slot].evaluate(
                        fields: fields, isSoftDeleted: isSoftDeleted, appRoleValues: roles, messages: &messages,
                        ignoreFlow: &ignoreFlow)
                    _ = valueTypes[slot].convert(raw, diagnostics: &messages)
                    for message in messages {
                        diagnostics.append(
                            Diagnostic(
                                .warning, file: record.origin.file, line: record.origin.line,
                                "\(targetTexts[slot]): \(message)"))
                    }
                }
            }
        }
    }

    /// The raw values of the attributes that feed matching mappings (see `DesiredUser.rawMatchingValues`).
    public func rawMatchingValues(of record: SourceRecord) -> [String] {
        var raw: [String] = []
        for key in layout.matchingSourceKeys {
            guard let value = record[key] else { continue }
            let texts: [String]
            if case .multi(let items) = value {
                texts = items.compactMap(\.scalarText)
            } else {
                texts = value.scalarText.map { [$0] } ?? []
            }
            for text in texts {
                raw.append(text)
                if GuestUserPrincipalName.isGuest(text) { raw.append(GuestUserPrincipalName.externalForm(of: text)) }
            }
        }
        return raw
    }
}
