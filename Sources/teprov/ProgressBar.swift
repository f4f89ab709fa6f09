import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A one-line progress bar on stderr for long runs (`snapshot`, `apply`):
/// `label [=========>          ] 1234/2500  49%  123.4/s  ETA 0:10`.
///
/// Drawn only with `--progress always`, or `auto` when stderr is a terminal; redrawn at most ten
/// times a second however often `update` is called, and erased by `finish()` so that the lines
/// printed afterwards start clean. Safe to call from any task.
final class ProgressBar: Sendable {
    private struct State {
        var done = 0
        var total: Int
        var lastDraw: ContinuousClock.Instant?
        var drawn = false
        var drawnAtEnd = false
        var finished = false
    }

    /// Time between two redraws.
    static let redrawInterval: Duration = .milliseconds(100)

    let label: String
    /// `false` when nothing is ever drawn (mode `never`, or `auto` without a terminal).
    let isEnabled: Bool
    private let started = ContinuousClock.now
    private let state: Mutex<State>

    /// - Parameters:
    ///   - total: the count expected (`update(done:total:)` can change it).
    ///   - label: the word before the bar, e.g. the command name.
    ///   - mode: `--progress`; `auto` draws only when stderr is a terminal.
    init(total: Int, label: String, mode: ProgressMode) {
        self.label = label
        switch mode {
        case .always: isEnabled = true
        case .never: isEnabled = false
        case .auto: isEnabled = isatty(2) == 1
        }
        state = Mutex(State(total: max(total, 0)))
    }

    /// Records that `done` units are finished; redraws when the last drawing is old enough.
    func update(done: Int) {
        update(done: done, total: nil)
    }

    /// Records progress and a new expected total (a snapshot learns it from the server as it goes).
    func update(done: Int, total: Int?) {
        guard isEnabled else { return }
        let now = ContinuousClock.now
        state.withLock { state in
            guard !state.finished else { return }
            state.done = max(0, done)
            if let total { state.total = max(total, 0) }
            let reachedEnd = state.total > 0 && state.done >= state.total
            // The final count is always shown once, however soon after the previous drawing it comes.
            let showsEnd = reachedEnd && !state.drawnAtEnd
            if let last = state.lastDraw, last.duration(to: now) < Self.redrawInterval, !showsEnd { return }
            state.lastDraw = now
            state.drawn = true
            state.drawnAtEnd = reachedEnd
            // Written under the lock (at most ten short writes a second), so a drawing cannot land after finish().
            let line = Self.render(
                label: label, done: state.done, total: state.total, elapsed: started.duration(to: now),
                width: Self.terminalColumns())
            writeAll(2, "\r\u{1B}[2K" + line)
        }
    }

    /// Erases the bar (once); later updates are ignored.
    func finish() {
        guard isEnabled else { return }
        state.withLock { state in
            if state.drawn && !state.finished { writeAll(2, "\r\u{1B}[2K") }
            state.finished = true
        }
    }

    /// The bar's text, fitted to `width` columns.
    static func render(label: String, done: Int, total: Int, elapsed: Duration, width: Int) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(done) / seconds : 0
        var figures = total > 0 ? "\(done)/\(total)  \(min(100, done * 100 / total))%" : "\(done)"
        figures += rate > 0 ? "  \(rateText(rate))/s" : ""
        if total > done, rate > 0 {
            figures += "  ETA \(clockText(Double(total - done) / rate))"
        }
        let room = width - label.count - figures.count - 5
        guard room >= 10, total > 0 else { return "\(label) \(figures)" }
        let barWidth = min(room, 40)
        let filled = min(barWidth, done * barWidth / total)
        var bar = String(repeating: "=", count: filled)
        if filled < barWidth {
            bar += ">" + String(repeating: " ", count: barWidth - filled - 1)
        }
        return "\(label) [\(bar)] \(figures)"
    }

    private static func rateText(_ rate: Double) -> String {
        rate >= 100 ? String(Int(rate.rounded())) : String(Double(Int(rate * 10)) / 10)
    }

    /// `m:ss`, or `h:mm:ss` from an hour on.
    private static func clockText(_ seconds: Double) -> String {
        let whole = Int(min(seconds, 359_999).rounded(.up))
        let (hours, minutes, rest) = (whole / 3600, whole / 60 % 60, whole % 60)
        let mmss = (hours > 0 && minutes < 10 ? "0" : "") + "\(minutes):" + (rest < 10 ? "0" : "") + "\(rest)"
        return hours > 0 ? "\(hours):\(mmss)" : mmss
    }

    /// Width of the terminal on stderr, or 80.
    private static func terminalColumns() -> Int {
        var size = winsize()
        guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
