import Crypto
import Dispatch

/// Hashes a plan's canonical text, and checks its layout when asked, on another thread, so the thread
/// that tokenizes and decodes the plan only hands over filled buffers.
///
/// Pieces are processed in the order given; at most `maximumPending` wait at once, so a slow consumer
/// holds the producer back instead of buffering the whole text.
final class CanonicalTextConsumer: @unchecked Sendable {
    // Only touched on `queue` (after `init`).
    private var hasher = SHA256()
    private let layout: PlanLayoutCheck?

    private let queue = DispatchQueue(label: "teprov.plan-digest", qos: .userInitiated)
    private let pending: DispatchSemaphore
    private static let maximumPending = 8

    /// - Parameter layout: also compares the file with the plan layout of the text.
    init(layout: PlanLayoutCheck?) {
        self.layout = layout
        pending = DispatchSemaphore(value: Self.maximumPending)
    }

    /// Takes the next piece of the canonical text; `hashed: false` for text only the layout check sees
    /// (the member the digest leaves out).
    func consume(_ piece: [UInt8], hashed: Bool = true) {
        pending.wait()
        queue.async { [self] in
            piece.withUnsafeBufferPointer { bytes in
                layout?.consume(bytes)
                if hashed { hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes)) }
            }
            pending.signal()
        }
    }

    /// Marks the layout as not matching.
    func failLayout() {
        queue.async { [self] in layout?.fail() }
    }

    /// Waits for every piece, then gives the hex SHA-256 and whether the file had the plan layout
    /// (`false` when not checked). Call once, after the last piece.
    func finish() -> (hex: String, layoutMatches: Bool) {
        queue.sync { (SHA256Digest.hexString(hasher.finalize()), layout?.finish() ?? false) }
    }
}
