/// Requests, reads and failure records shared by the action flows.
extension ApplyEngine {
    /// The operation's planned request as a `SCIMRequest`.
    func scimRequest(_ operation: PlanOperation, ifMatch: String?) -> SCIMRequest {
        var body: [UInt8]?
        if let json = operation.request.body {
            var bytes: [UInt8] = []
            json.write(into: &bytes, style: .compact)
            body = bytes
        }
        return SCIMRequest(
            method: operation.request.method, path: operation.request.path, body: body, ifMatch: ifMatch,
            operationID: operation.id)
    }

    /// Records `sent` in the journal (fsync'ed) before the request leaves.
    func journalSent(_ operation: PlanOperation, attempts: Int) async throws {
        guard let journal else { return }
        do {
            try await journal.recordSent(operationID: operation.id, attempt: attempts + 1)
        } catch {
            throw JournalFailure(message: "\(error)", attempts: attempts)
        }
    }

    enum TargetRead {
        case found(TargetUser, etag: String?)
        case gone(SCIMExchange)
        case failed(ApplyOperationRecord)
    }

    /// `GET /Users/{id}` of the operation's target, with retries.
    func readTarget(_ operation: PlanOperation, attempts: inout Int) async throws -> TargetRead {
        guard let id = operation.target?.id else {
            return .failed(
                ApplyOperationRecord(
                    operation: operation, status: .failed, reason: "InvalidPlan",
                    detail: "the operation names no target id", attempts: attempts, final: true, failureClass: .other))
        }
        let exchange = try await runner.sendRetryingAll(SCIMRequest(method: "GET", path: "/Users/\(id)"))
        guard let response = exchange.response else {
            return .failed(failure(operation, exchange, attempts: attempts))
        }
        if response.status == 404 { return .gone(exchange) }
        guard response.status == 200 else { return .failed(failure(operation, exchange, attempts: attempts)) }
        guard
            let user = check.targetUser(
                fromResource: response.body, extraPaths: TargetStateCheck.changedPaths(operation))
        else {
            return .failed(
                ApplyOperationRecord(
                    operation: operation, status: .failed, reason: "InvalidResponse", httpStatus: 200,
                    detail: "GET /Users/\(id) did not answer a SCIM user", attempts: attempts, failureClass: .other))
        }
        return .found(user, etag: response.header("ETag"))
    }

    /// `true` when the exchange ended without proof of what the server did (5xx, 408, 429, transport).
    func isUnknownOutcome(_ exchange: SCIMExchange) -> Bool {
        switch exchange.result {
        case .transportFailure: return true
        case .response(let response): return RetryPolicy.isRetryable(status: response.status)
        }
    }

    /// A failure record for what an exchange ended with.
    func failure(
        _ operation: PlanOperation, _ exchange: SCIMExchange, attempts: Int, reason: String? = nil,
        detail: String? = nil, final: Bool? = nil
    ) -> ApplyOperationRecord {
        switch exchange.result {
        case .transportFailure(let error):
            return ApplyOperationRecord(
                operation: operation, status: .failed, reason: reason ?? "TransportError",
                detail: detail ?? error.message,
                attempts: attempts, final: final ?? false, failureClass: .unavailable)
        case .response(let response):
            let parsed = SCIMErrorDetail.parse(response)
            let failureClass: ApplyOperationRecord.FailureClass
            switch response.status {
            case 401, 403: failureClass = .authorization
            case 429, 500...599: failureClass = .unavailable
            default: failureClass = .other
            }
            let retryable = RetryPolicy.isRetryable(status: response.status)
            return ApplyOperationRecord(
                operation: operation, status: .failed, reason: reason ?? "HTTP \(response.status)",
                httpStatus: response.status, scimType: parsed.scimType, detail: detail ?? parsed.detail,
                attempts: attempts, final: final ?? (!retryable && failureClass == .other), failureClass: failureClass)
        }
    }

    func stale(_ operation: PlanOperation, _ exchange: SCIMExchange?, attempts: Int, detail: String)
        -> ApplyOperationRecord
    {
        ApplyOperationRecord(
            operation: operation, status: .failed, reason: "StaleTarget", httpStatus: exchange?.response?.status,
            detail: detail, attempts: attempts, final: true, failureClass: .other)
    }

    func describe(_ exchange: SCIMExchange) -> String {
        switch exchange.result {
        case .transportFailure(let error): return error.message
        case .response(let response): return "HTTP \(response.status)"
        }
    }

    /// The `id` of a created resource: from the body, else the `Location` header's last segment.
    static func resourceID(_ response: SCIMResponse) -> String? {
        if !response.body.isEmpty, let resource = try? parseJSON(response.body),
            let id = resource["id"].flatMap(\.stringValue), !id.isEmpty
        {
            return id
        }
        if let location = response.header("Location"), let last = location.split(separator: "/").last {
            return String(last)
        }
        return nil
    }

    static func listedResources(_ response: SCIMResponse) -> [JSONValue] {
        guard let list = try? parseJSON(response.body), case .array(let resources)? = list["Resources"] else {
            return []
        }
        return resources
    }

    static func emails(of resource: JSONValue) -> [String] {
        guard case .array(let entries)? = resource["emails"] else { return [] }
        return entries.compactMap { $0["value"].flatMap(\.stringValue) }
    }

    /// The identity e-mail of a create body: the primary entry, else the work one, else the first.
    static func identityEmail(_ body: JSONValue?) -> String? {
        guard case .array(let entries)? = body?["emails"] else { return nil }
        let chosen =
            entries.first { $0["primary"] == .bool(true) }
            ?? entries.first { $0["type"].flatMap(\.stringValue)?.lowercased() == "work" } ?? entries.first
        return chosen?["value"].flatMap(\.stringValue)
    }

    static func parseJSON(_ bytes: [UInt8]) throws -> JSONValue {
        let tokenizer = JSONTokenizer(bytes: bytes, sourceName: "server answer", inputNoun: "response")
        let value = try tokenizer.readValue()
        try tokenizer.expectEndOfInput()
        return value
    }
}

extension JSONValue {
    /// The string of a `.string`, else `nil`.
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
