import Foundation

/// Captures every user of a SCIM endpoint into a snapshot (SPEC §9, `teprov snapshot`).
///
/// Pages `GET /Users?startIndex=&count=` one page at a time through the request runner (so auth,
/// pacing and retries are the apply client's), keeping each user's JSON as served and
/// de-duplicating by `id`. Paging follows what was served, not what was asked: a page shorter than
/// `count` (a capped `count`) advances `startIndex` by the users received, a longer one (an ignored
/// `count`) is taken whole. A pass ends with a request past the last user (`count=1`): if it serves
/// new users, `totalResults` was too low and paging goes on until a page is empty; if it serves
/// none, its `totalResults` is the re-checked total.
///
/// Index paging is only exact while nobody changes the users: when one is deleted behind the
/// paging, the users after it move up a place and one of them is never served. So a pass during
/// which `totalResults` went down, or whose distinct users differ from the re-checked total, is
/// thrown away and paged again (up to `Options.maximumPasses`); the capture is complete only when a
/// pass saw no decrease and its distinct users equal the re-checked `totalResults`.
public struct SnapshotCapture: Sendable {
    /// What to capture and how.
    public struct Options: Sendable {
        /// The SCIM base URL, written as the snapshot's `source` (must not hold credentials).
        public var source: String
        /// `count` asked for on each page (`--page-size`).
        public var pageSize: Int
        /// Passes over the users before an unsettled capture is given up as incomplete.
        public var maximumPasses: Int

        public init(source: String, pageSize: Int = 100, maximumPasses: Int = 3) {
            self.source = source
            self.pageSize = pageSize
            self.maximumPasses = maximumPasses
        }
    }

    /// One pass over the users.
    struct Pass {
        var snapshot: CapturedSnapshot
        /// `totalResults` of the last answer (the re-check).
        var finalTotal = 0
        var stopReason: String?
        /// Pages that served only users already captured.
        var repeatPages = 0
        /// `totalResults` went down between two answers.
        var totalDecreased = false

        /// Nothing suggests a user was missed or counted wrongly.
        var isSettled: Bool { stopReason == nil && !totalDecreased && snapshot.userCount == finalTotal }
    }

    public let runner: SCIMRequestRunner
    public let options: Options

    public init(runner: SCIMRequestRunner, options: Options) {
        self.runner = runner
        self.options = options
    }

    /// Pages through every user.
    /// - Parameter progress: called after each page with the distinct users so far and the total
    ///   expected (the latest `totalResults`, or more when more were served); a new pass starts again from 0.
    /// - Returns: the users and whether they are all of them (`complete`); an incomplete capture is a
    ///   result, not an error, so that it can still be written with `complete: false`.
    /// - Throws: `TeprovError(.io)` when a request got no 200 answer after its retries (401 and 403
    ///   included); `TeprovError(.input)` when an answer is not a SCIM ListResponse; `CancellationError`.
    public func capture(
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> CapturedSnapshot {
        let capturedAt = Self.timestamp(Date())
        var pages = 0
        var totalsSeen: [Int] = []
        var passes = 0
        while true {
            passes += 1
            var pass = Pass(snapshot: CapturedSnapshot(source: options.source, capturedAt: capturedAt))
            try await page(&pass, progress: progress)
            pages += pass.snapshot.pages
            for total in pass.snapshot.totalResultsSeen where totalsSeen.last != total { totalsSeen.append(total) }
            // A server that stops early or ignores startIndex does so again: only churn is worth another pass.
            if pass.isSettled || pass.stopReason != nil || passes >= max(1, options.maximumPasses) {
                pass.snapshot.pages = pages
                pass.snapshot.passes = passes
                pass.snapshot.totalResultsSeen = totalsSeen
                Self.settle(&pass)
                progress(pass.snapshot.userCount, max(pass.finalTotal, pass.snapshot.userCount))
                return pass.snapshot
            }
        }
    }

    /// Pages from `startIndex=1` until a page is empty (or paging cannot go on).
    private func page(_ pass: inout Pass, progress: @Sendable (Int, Int) -> Void) async throws {
        let pageSize = max(1, options.pageSize)
        var startIndex = 1
        /// The latest `totalResults`; `nil` before the first page.
        var total: Int?
        var largestTotal = 0
        /// Set once users were served past `totalResults`: paging then goes on until an empty page.
        var totalProvedLow = false
        while true {
            let pastTheEnd = !totalProvedLow && (total.map { startIndex > $0 } ?? false)
            guard pass.snapshot.pages < Self.pageBudget(largestTotal: largestTotal, pageSize: pageSize) else {
                pass.stopReason = "the server kept serving users beyond its totalResults, so paging did not end"
                break
            }
            let page = try await fetchPage(startIndex: startIndex, count: pastTheEnd ? 1 : pageSize)
            if pass.snapshot.totalResultsSeen.last != page.totalResults {
                pass.snapshot.totalResultsSeen.append(page.totalResults)
            }
            if let total, page.totalResults < total { pass.totalDecreased = true }
            largestTotal = max(largestTotal, page.totalResults)
            total = page.totalResults
            if page.users.isEmpty {
                if startIndex <= page.totalResults {
                    pass.stopReason =
                        "the server served no users at startIndex \(startIndex) although its totalResults is \(page.totalResults)"
                }
                break
            }
            pass.snapshot.pages += 1
            var fresh = 0
            for user in page.users where pass.snapshot.add(id: user.id, json: page.body[user.range]) { fresh += 1 }
            if fresh == 0 { pass.repeatPages += 1 }
            progress(pass.snapshot.userCount, max(page.totalResults, pass.snapshot.userCount))
            if pastTheEnd || totalProvedLow {
                // Past totalResults only new users justify going on (a server ignoring startIndex would never stop).
                guard fresh > 0 else {
                    if pastTheEnd {
                        pass.stopReason =
                            "the server kept serving users already captured past its totalResults (it may ignore startIndex)"
                    }
                    break
                }
                totalProvedLow = true
            }
            startIndex += page.users.count
        }
        pass.finalTotal = total ?? 0
    }

    /// Sets `complete`, `totalResults` and the reason an incomplete capture misses users.
    static func settle(_ pass: inout Pass) {
        var snapshot = pass.snapshot
        defer { pass.snapshot = snapshot }
        snapshot.totalResults = pass.finalTotal
        let distinct = snapshot.userCount
        let total = pass.finalTotal
        if pass.isSettled {
            snapshot.complete = true
            snapshot.incompleteReason = nil
            return
        }
        snapshot.complete = false
        var reason: String
        if distinct < total {
            reason = "\(total - distinct) of the server's \(total) users are missing (\(distinct) captured)"
        } else if distinct > total {
            reason =
                "\(distinct) distinct users were served but the server's totalResults is now \(total), so users were deleted during the capture or totalResults is wrong"
        } else {
            reason = "users were deleted during the capture, so some may have moved past the paging unseen"
        }
        if let stopReason = pass.stopReason { reason += ": " + stopReason }
        if snapshot.totalResultsSeen.count > 1 {
            let seen = snapshot.totalResultsSeen.suffix(8).map(String.init).joined(separator: " → ")
            reason += "; totalResults changed during the capture (\(seen))"
        }
        if snapshot.passes > 1 { reason += "; \(snapshot.passes) passes over the users did not settle" }
        if pass.repeatPages > 0, distinct < total {
            reason +=
                "; \(pass.repeatPages) page(s) served only users already captured (the server may ignore startIndex)"
        }
        snapshot.incompleteReason = reason
    }

    /// Pages allowed in one pass: three times the pages the largest total needs, plus slack for
    /// short pages. Only a server that serves users without end reaches it.
    static func pageBudget(largestTotal: Int, pageSize: Int) -> Int {
        3 * ((largestTotal + pageSize - 1) / pageSize) + 20 + largestTotal / 10
    }

    /// `2026-11-30T08:00:00Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
