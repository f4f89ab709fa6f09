extension SnapshotCapture {
    /// `GET /Users?startIndex=&count=`, retried as the runner does for safe requests, read as a
    /// ListResponse.
    /// - Throws: `TeprovError(.io)` for an answer other than 200 after retries or no answer at all;
    ///   `TeprovError(.input)` for a body that is not a ListResponse.
    func fetchPage(startIndex: Int, count: Int) async throws -> SnapshotCapturePage {
        let request = SCIMRequest(
            method: "GET", path: "/Users",
            query: [
                SCIMQueryItem(name: "startIndex", value: String(startIndex)),
                SCIMQueryItem(name: "count", value: String(count)),
            ])
        let shown = "\(options.source)/Users?startIndex=\(startIndex)&count=\(count)"
        let exchange = try await runner.sendRetryingAll(request)
        switch exchange.result {
        case .transportFailure(let failure):
            throw TeprovError(
                .io,
                "got no answer after \(Self.attemptsText(exchange.attempts)) (\(failure.message)); check --url and the network, or raise --max-retries",
                file: shown)
        case .response(let response):
            guard response.status == 200 else {
                throw Self.statusError(
                    response, attempts: exchange.attempts, exhausted: exchange.retriesExhausted, shown: shown)
            }
            return try SnapshotCapturePage.parse(body: response.body, sourceName: shown)
        }
    }

    /// The error for a non-200 answer: what it means for a snapshot and what to do.
    static func statusError(_ response: SCIMResponse, attempts: Int, exhausted: Bool, shown: String) -> TeprovError {
        let detail = SCIMErrorDetail.parse(response).detail.map { " (\($0))" } ?? ""
        let status = response.status
        let advice: String
        switch status {
        case 401:
            advice =
                "the server refused the credentials with 401 Unauthorized\(detail); check the token (--token-env, --token-file) or --basic-user"
        case 403:
            advice =
                "the server answered 403 Forbidden\(detail): the credentials may not read users; give the token's account the user-management permission"
        case 404:
            advice =
                "the server answered 404 Not Found\(detail), so there is no /Users below --url; give the SCIM base URL, e.g. https://api.thousandeyes.com/scim/v2"
        default:
            if exhausted {
                advice =
                    "the server answered \(status) to \(attemptsText(attempts)) in a row\(detail); try again later or raise --max-retries"
            } else {
                advice = "the server answered HTTP \(status)\(detail) instead of 200; check --url and the server"
            }
        }
        return TeprovError(.io, advice, file: shown)
    }

    static func attemptsText(_ attempts: Int) -> String {
        attempts == 1 ? "1 attempt" : "\(attempts) attempts"
    }
}
