import Foundation
import Synchronization
import Testing

@testable import TeprovCore

@Suite("Snapshot capture: paging")
struct SnapshotCapturePagingTests {
    typealias Server = SnapshotCaptureTestServer

    @Test(arguments: [1, 2, 7, 25, 100])
    func pagesEveryUserOnceInServerOrder(pageSize: Int) async throws {
        let server = Server(users: Server.users(25))
        let (snapshot, statistics) = try await server.capture(pageSize: pageSize)
        #expect(snapshot.complete)
        #expect(snapshot.incompleteReason == nil)
        #expect(snapshot.totalResults == 25)
        #expect(snapshot.userIDs == Server.users(25).map(\.id))
        #expect(snapshot.pages == (25 + pageSize - 1) / pageSize)
        // Every page, then one request past the end that re-checks totalResults.
        #expect(statistics.requests == snapshot.pages + 1)
        let last = try #require(server.queries.last)
        #expect(last == [.init(name: "startIndex", value: "26"), .init(name: "count", value: "1")])
    }

    @Test func followsAServerThatCapsCount() async throws {
        let server = Server(users: Server.users(25), behaviour: .init(capCount: 3))
        let (snapshot, _) = try await server.capture(pageSize: 10)
        #expect(snapshot.complete)
        #expect(snapshot.userIDs == Server.users(25).map(\.id))
        let starts = server.queries.compactMap { $0.first { $0.name == "startIndex" }?.value }
        #expect(starts == ["1", "4", "7", "10", "13", "16", "19", "22", "25", "26"])
    }

    @Test func takesTheWholeAnswerOfAServerThatIgnoresCount() async throws {
        let server = Server(users: Server.users(25), behaviour: .init(ignoresCount: true))
        let (snapshot, statistics) = try await server.capture(pageSize: 5)
        #expect(snapshot.complete)
        #expect(snapshot.userCount == 25)
        #expect(snapshot.pages == 1)
        #expect(statistics.requests == 2)
    }

    @Test func stopsAndSaysSoWhenTheServerIgnoresStartIndex() async throws {
        let server = Server(users: Server.users(25), behaviour: .init(ignoresStartIndex: true))
        let (snapshot, _) = try await server.capture(pageSize: 10)
        #expect(!snapshot.complete)
        #expect(snapshot.userIDs == Array(Server.users(10).map(\.id)))
        let reason = try #require(snapshot.incompleteReason)
        #expect(reason.hasPrefix("15 of the server's 25 users are missing (10 captured)"))
        #expect(reason.contains("may ignore startIndex"))
    }

    @Test func pagesAgainWhenUsersAreDeletedBehindThePaging() async throws {
        // After the first page, three users already read are deleted: u0011-u0013 move onto page 1's
        // places and the first pass never sees them; the second pass sees the settled list.
        var behaviour = Server.Behaviour()
        behaviour.mutations[2] = { users in users.removeSubrange(1..<4) }
        let server = Server(users: Server.users(30), behaviour: behaviour)
        let (snapshot, statistics) = try await server.capture(pageSize: 10)
        #expect(snapshot.complete)
        #expect(snapshot.passes == 2)
        #expect(snapshot.totalResults == 27)
        #expect(snapshot.userIDs == server.currentUserIDs)
        #expect(snapshot.totalResultsSeen == [30, 27])
        #expect(statistics.requests == 4 + 4)
    }

    @Test func saysWhatIsWrongWhenUsersAreDeletedAndNoPassIsLeft() async throws {
        var behaviour = Server.Behaviour()
        behaviour.mutations[2] = { users in users.removeSubrange(1..<4) }
        let server = Server(users: Server.users(30), behaviour: behaviour)
        let (snapshot, _) = try await server.capture(pageSize: 10, maximumPasses: 1)
        #expect(!snapshot.complete)
        #expect(snapshot.userIDs.count == 27)
        #expect(!snapshot.userIDs.contains("u0011"))
        #expect(
            snapshot.incompleteReason
                == "users were deleted during the capture, so some may have moved past the paging unseen; totalResults changed during the capture (30 → 27)"
        )
    }

    @Test func pagesAgainWhenUsersAheadOfThePagingAreDeleted() async throws {
        var behaviour = Server.Behaviour()
        behaviour.mutations[2] = { users in users.removeSubrange(24..<27) }
        let server = Server(users: Server.users(30), behaviour: behaviour)
        let (snapshot, _) = try await server.capture(pageSize: 10)
        #expect(snapshot.complete)
        #expect(snapshot.totalResults == 27)
        #expect(snapshot.userIDs == server.currentUserIDs)
    }

    @Test func followsAGrowingTotalWhenUsersAreAppended() async throws {
        var behaviour = Server.Behaviour()
        behaviour.mutations[2] = { users in users += Server.users(5, prefix: "new") }
        let server = Server(users: Server.users(30), behaviour: behaviour)
        let (snapshot, _) = try await server.capture(pageSize: 10)
        #expect(snapshot.complete)
        #expect(snapshot.passes == 1)
        #expect(snapshot.totalResults == 35)
        #expect(snapshot.userIDs == server.currentUserIDs)
    }

    @Test func keepsAUserServedOnTwoPagesOnceAndReportsTheOneMissed() async throws {
        // A user created at the front mid-way pushes u0010 onto page 2: served twice, the new one never.
        var behaviour = Server.Behaviour()
        behaviour.mutations[2] = { users in users.insert(("first", #"{"id":"first","userName":"first@x"}"#), at: 0) }
        let server = Server(users: Server.users(30), behaviour: behaviour)
        let (snapshot, _) = try await server.capture(pageSize: 10, maximumPasses: 1)
        #expect(snapshot.userIDs == Server.users(30).map(\.id))
        #expect(!snapshot.complete)
        #expect(
            snapshot.incompleteReason
                == "1 of the server's 31 users are missing (30 captured); totalResults changed during the capture (30 → 31)"
        )

        let (again, _) = try await Server(users: Server.users(30), behaviour: behaviour).capture(pageSize: 10)
        #expect(again.complete)
        #expect(again.passes == 2)
        #expect(again.userIDs == ["first"] + Server.users(30).map(\.id))
    }

    @Test func keepsPagingPastAnUnderReportedTotalAndSaysItIsWrong() async throws {
        let server = Server(users: Server.users(25), behaviour: .init(totalResultsOffset: -3))
        let (snapshot, _) = try await server.capture(pageSize: 10)
        #expect(snapshot.userIDs == Server.users(25).map(\.id))
        #expect(!snapshot.complete)
        #expect(snapshot.passes == 3)
        #expect(snapshot.totalResults == 22)
        #expect(snapshot.incompleteReason?.contains("or totalResults is wrong") == true)
        #expect(snapshot.incompleteReason?.hasSuffix("3 passes over the users did not settle") == true)
    }

    @Test func capturesEveryUserOnceWhenTheReportedTotalShrinksOnEveryPage() async throws {
        let server = Server(users: Server.users(100), behaviour: .init(totalResultsShrinkPerRequest: 2))
        let (snapshot, _) = try await server.capture(pageSize: 10)
        #expect(snapshot.userIDs == Server.users(100).map(\.id))
        #expect(!snapshot.complete)
        #expect(snapshot.totalResults < 100)
        #expect(snapshot.incompleteReason?.hasPrefix("100 distinct users were served") == true)
        #expect(snapshot.incompleteReason?.contains("totalResults changed during the capture") == true)
    }

    @Test func isCompleteWhenTheReportedTotalStopsShrinking() async throws {
        let behaviour = Server.Behaviour(totalResultsShrinkPerRequest: 5, shrinkingRequests: 4)
        let server = Server(users: Server.users(100), behaviour: behaviour)
        let (snapshot, _) = try await server.capture(pageSize: 10)
        #expect(snapshot.complete)
        #expect(snapshot.passes == 2)
        #expect(snapshot.userIDs == Server.users(100).map(\.id))
    }

    @Test func stopsIncompleteWhenAPageIsEmptyBeforeTheTotal() async throws {
        let server = Server(users: Server.users(25), behaviour: .init(emptyFromStartIndex: 11))
        let (snapshot, statistics) = try await server.capture(pageSize: 10)
        #expect(!snapshot.complete)
        #expect(snapshot.userCount == 10)
        #expect(statistics.requests == 2)
        #expect(
            snapshot.incompleteReason
                == "15 of the server's 25 users are missing (10 captured): the server served no users at startIndex 11 although its totalResults is 25"
        )
    }

    @Test func capturesAnEmptyServer() async throws {
        let server = Server(users: [])
        let (snapshot, statistics) = try await server.capture(pageSize: 100)
        #expect(snapshot.complete)
        #expect(snapshot.userCount == 0)
        #expect(statistics.requests == 1)
    }

    @Test func reportsProgressUpToTheTotal() async throws {
        let server = Server(users: Server.users(25))
        let statistics = RequestStatistics()
        let clock = SnapshotCaptureTestClock()
        let runner = SCIMRequestRunner(
            target: server, policy: RetryPolicy(),
            pacer: RequestPacer(rateLimitPerMinute: nil, host: "h", clock: clock),
            clock: clock, statistics: statistics)
        let calls = Mutex<[[Int]]>([])
        _ = try await SnapshotCapture(runner: runner, options: .init(source: "s", pageSize: 10)).capture {
            done, total in
            calls.withLock { $0.append([done, total]) }
        }
        #expect(calls.withLock { $0 } == [[10, 25], [20, 25], [25, 25], [25, 25]])
    }
}

@Suite("Snapshot capture: failures and retries")
struct SnapshotCaptureFailureTests {
    typealias Server = SnapshotCaptureTestServer

    @Test func retriesA503BurstWithoutSleepingForReal() async throws {
        var behaviour = Server.Behaviour()
        behaviour.scriptedAnswers = [
            SCIMResponse(status: 503),
            SCIMResponse(status: 503, headers: [SCIMHeader(name: "Retry-After", value: "2")]),
        ]
        let server = Server(users: Server.users(25), behaviour: behaviour)
        let clock = SnapshotCaptureTestClock()
        let (snapshot, statistics) = try await server.capture(pageSize: 10, clock: clock)
        #expect(snapshot.complete)
        #expect(snapshot.userCount == 25)
        #expect(statistics.retries == 2)
        #expect(statistics.serverErrors == 2)
        // Full jitter (random 0.5 × base 1 s), then the server's Retry-After.
        #expect(clock.sleeps == [.milliseconds(500), .seconds(2)])
    }

    @Test func failsWhenRetriesRunOut() async throws {
        var behaviour = Server.Behaviour()
        behaviour.scriptedAnswers = Array(repeating: SCIMResponse(status: 503), count: 10)
        let server = Server(users: Server.users(5), behaviour: behaviour)
        let error = try await #require(throws: TeprovError.self) {
            try await server.capture(pageSize: 10, maxRetries: 2)
        }
        #expect(error.code == .io)
        #expect(error.file == "http://127.0.0.1:1/v2/Users?startIndex=1&count=10")
        #expect(error.message.contains("answered 503 to 3 attempts in a row"))
        #expect(error.message.contains("--max-retries"))
    }

    @Test(arguments: [(401, "check the token"), (403, "may not read users"), (404, "no /Users below --url")])
    func stopsAtOnceOnARefusal(status: Int, advice: String) async throws {
        var behaviour = Server.Behaviour()
        let body = #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"\#(status)","detail":"nope"}"#
        behaviour.scriptedAnswers = [SCIMResponse(status: status, body: Array(body.utf8))]
        let server = Server(users: Server.users(5), behaviour: behaviour)
        let error = try await #require(throws: TeprovError.self) { try await server.capture(pageSize: 10) }
        #expect(error.code == .io)
        #expect(error.message.contains("\(status)"))
        #expect(error.message.contains("(nope)"))
        #expect(error.message.contains(advice))
        #expect(server.queries.count == 1)
    }

    @Test(arguments: [
        (#"[]"#, "is not a JSON object"),
        (#"{"Resources": []}"#, "has no totalResults"),
        (#"{"totalResults": -1, "Resources": []}"#, "is not a count"),
        (#"{"totalResults": 1, "Resources": [{"userName": "a"}]}"#, "without a string \"id\""),
        (#"{"totalResults": 1, "Resources": ["a"]}"#, "not a user object"),
        (#"{"totalResults": 1, "Resources": [{"id": "a"}"#, "ends"),
    ])
    func refusesAnAnswerThatIsNotAListResponse(body: String, problem: String) async throws {
        var behaviour = Server.Behaviour()
        behaviour.scriptedAnswers = [SCIMResponse(status: 200, body: Array(body.utf8))]
        let server = Server(users: Server.users(5), behaviour: behaviour)
        let error = try await #require(throws: TeprovError.self) { try await server.capture(pageSize: 10) }
        #expect(error.code == .input)
        #expect(error.message.contains(problem))
    }
}

@Suite("Snapshot capture: the file")
struct SnapshotCaptureFileTests {
    typealias Server = SnapshotCaptureTestServer

    @Test func writesUsersByteForByteAndReadsBack() async throws {
        let odd =
            #"{ "id" : "odd",  "userName":"zo\u00eb@contoso.com", "name": {"formatted": "Zo\u00EB  \"Z\""}, "active": false }"#
        let server = Server(users: Server.users(3) + [("odd", odd)])
        let (snapshot, _) = try await server.capture(pageSize: 2)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("snapshot.json").path
        try snapshot.write(to: path)

        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\n    " + odd + "\n  ]\n}\n"))
        #expect(snapshot.userJSON(id: "odd") == Array(odd.utf8))
        let (info, users) = try SnapshotReader.read(path: path)
        #expect(info.format == SnapshotInfo.teprovSnapshot)
        #expect(info.complete)
        #expect(info.source == "http://127.0.0.1:1/v2")
        #expect(info.totalResults == 4)
        #expect(info.capturedAt?.count == 20)
        #expect(users.map(\.id) == ["u0001", "u0002", "u0003", "odd"])
        #expect(users.last?.userName == "zoë@contoso.com")
        #expect(users.last?.active == false)
    }

    @Test func anIncompleteCaptureReadsBackOnlyWhenAllowed() async throws {
        let server = Server(users: Server.users(25), behaviour: .init(emptyFromStartIndex: 11))
        let (snapshot, _) = try await server.capture(pageSize: 10)
        let bytes = snapshot.documentBytes()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""complete": false,"#))
        #expect(text.contains(#""incompleteReason": "15 of the server's 25 users are missing"#))
        #expect(throws: TeprovError.self) { try SnapshotReader.read(bytes: bytes, sourceName: "s") }
        let (info, users) = try SnapshotReader.read(
            bytes: bytes, sourceName: "s", options: .init(allowIncomplete: true))
        #expect(!info.complete)
        #expect(info.totalResults == 25)
        #expect(users.count == 10)
    }

    @Test func anEmptyCaptureReadsBackAsNoUsers() throws {
        var pass = SnapshotCapture.Pass(
            snapshot: CapturedSnapshot(source: "https://x/scim/v2", capturedAt: "2026-11-30T08:00:00Z"))
        SnapshotCapture.settle(&pass)
        let text = String(decoding: pass.snapshot.documentBytes(), as: UTF8.self)
        #expect(
            text == """
                {
                  "formatVersion": 1,
                  "capturedAt": "2026-11-30T08:00:00Z",
                  "source": "https://x/scim/v2",
                  "complete": true,
                  "totalResults": 0,
                  "users": []
                }

                """)
        let (info, users) = try SnapshotReader.read(bytes: Array(text.utf8), sourceName: "s")
        #expect(info.complete && users.isEmpty)
    }
}
