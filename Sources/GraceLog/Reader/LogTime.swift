import Foundation

/// Fast timestamp parsing for filters, and the command line's time bounds.
public enum LogTime {
    /// Microseconds since 1970 of an ISO 8601 UTC timestamp such as `2025-11-09T18:30:00.123456Z`
    /// (any number of fraction digits or none; `Z`, `+HH:MM`, `-HH:MM`, `+HHMM` or no zone = UTC;
    /// a space instead of `T` is accepted). Nil when it does not parse.
    public static func microseconds(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { microseconds($0.baseAddress, $0.count) }
    }

    static func microseconds(_ p: UnsafePointer<UInt8>?, _ n: Int) -> Int64? {
        guard let p, n >= 19 else { return nil }
        @inline(__always) func digits(_ at: Int, _ count: Int) -> Int? {
            var value = 0
            for k in at ..< at + count {
                let d = Int(p[k]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-"), p[10] == UInt8(ascii: "T") || p[10] == UInt8(ascii: " "),
              p[13] == UInt8(ascii: ":"), p[16] == UInt8(ascii: ":"),
              let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
              let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
              (1 ... 12).contains(month), (1 ... 31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var micros = 0
        if i < n && p[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 100_000
            let start = i
            while i < n, p[i] >= 48, p[i] <= 57 {
                micros += Int(p[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        var offset = 0
        if i < n {
            switch p[i] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                i += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign = p[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard i + 2 <= n, let hours = digits(i, 2) else { return nil }
                i += 2
                if i < n && p[i] == UInt8(ascii: ":") { i += 1 }
                guard i + 2 <= n, let minutes = digits(i, 2) else { return nil }
                i += 2
                offset = sign * (hours * 3600 + minutes * 60)
            default:
                return nil
            }
        }
        guard i == n else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Int64(seconds) * 1_000_000 + Int64(micros)
    }

    static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// A time bound from the command line: relative (`90s`, `10m`, `2h`, `1d`, `1w`: that long
    /// before `now`), an ISO 8601 timestamp (UTC unless it names an offset), or a date
    /// `YYYY-MM-DD` (midnight UTC). Nil when it is none of these.
    public static func parseBound(_ text: String, now: Date = Date()) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let unit = trimmed.last, let amount = Double(trimmed.dropLast()), amount >= 0, amount.isFinite {
            let seconds: Double? = switch unit {
            case "s": 1
            case "m": 60
            case "h": 3600
            case "d": 86_400
            case "w": 604_800
            default: nil
            }
            if let seconds { return now.addingTimeInterval(-amount * seconds) }
        }
        var candidate = trimmed
        if candidate.utf8.count == 10 { candidate += "T00:00:00Z" }
        if candidate.utf8.count == 16 { candidate += ":00" }
        guard let micros = microseconds(candidate) else { return nil }
        return Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }
}
