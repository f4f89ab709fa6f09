import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// ISO 8601 time stamps in UTC with milliseconds (`2024-05-01T12:34:56.789Z`), as the journal, the
/// report and the provisioning log write them.
///
/// Formatted by hand with `gmtime_r`: `ISO8601DateFormatter` is not `Sendable`, and making one per
/// journal line would cost more than the line itself.
public enum UTCTimestamp {
    /// The time stamp of `date`, to the nearest millisecond.
    public static func string(from date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(floorDivide(milliseconds, 1000))
        let fraction = Int(milliseconds - Int64(seconds) * 1000)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return "1970-01-01T00:00:00.000Z" }
        return pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-"
            + pad(Int(parts.tm_mday), 2)
            + "T" + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2)
            + "." + pad(fraction, 3) + "Z"
    }

    /// The current time stamp.
    public static func now() -> String { string(from: Date()) }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor < 0) ? quotient - 1 : quotient
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
