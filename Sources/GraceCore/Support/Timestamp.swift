import Foundation

/// UTC timestamps in the one text form Grace stores and logs: `2025-11-09T18:30:00.123456Z`.
///
/// Fixed width and lexically ordered, so text comparison in SQL orders by time.
public enum Timestamp {
    /// Formats `date` with microsecond precision.
    public static func string(from date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = Int(interval.rounded(.down))
        var micros = Int(((interval - Double(seconds)) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            seconds += 1
            micros -= 1_000_000
        }
        return format(seconds: seconds, micros: micros)
    }

    /// Formats nanoseconds since 1970, truncated to the microsecond in integer arithmetic, so a value
    /// read with ``nanosecondsSinceEpoch(from:)`` formats back to the same text.
    public static func string(nanosecondsSinceEpoch nanoseconds: Int64) -> String {
        let (seconds, remainder) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        let micros = Int(remainder / 1000)
        return micros < 0 ? format(seconds: Int(seconds) - 1, micros: micros + 1_000_000) : format(seconds: Int(seconds), micros: micros)
    }

    private static func format(seconds: Int, micros: Int) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
            + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":"
            + pad(secondOfDay % 60, 2) + "." + pad(micros, 6) + "Z"
    }

    /// The current time, formatted.
    public static func now() -> String { string(from: Date()) }

    /// Parses the stored form back; also accepts no fraction or fewer digits, and a `+00:00` suffix.
    public static func date(from text: String) -> Date? {
        guard let (seconds, fractionDigits) = parse(text) else { return nil }
        var fraction = 0.0
        if !fractionDigits.isEmpty {
            guard let digits = Double("0." + fractionDigits) else { return nil }
            fraction = digits
        }
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Parses the stored form (as ``date(from:)`` does) to whole nanoseconds since 1970, without
    /// the rounding of `Date`'s `Double`: trace spans carry exact integer instants.
    /// Digits past the ninth are dropped; nil for text that is not a timestamp.
    public static func nanosecondsSinceEpoch(from text: String) -> Int64? {
        guard let (seconds, fractionDigits) = parse(text), fractionDigits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let nanoDigits = String(fractionDigits.prefix(9)) + String(repeating: "0", count: max(0, 9 - fractionDigits.count))
        guard let nanos = Int64(nanoDigits) else { return nil }
        let (whole, overflow) = Int64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        let (total, overflowAgain) = whole.addingReportingOverflow(nanos)
        return overflowAgain ? nil : total
    }

    /// Whole seconds since 1970 and the digits after the decimal point (empty when there are none).
    private static func parse(_ text: String) -> (Int, Substring)? {
        var text = Substring(text)
        if text.hasSuffix("Z") { text = text.dropLast() } else if text.hasSuffix("+00:00") { text = text.dropLast(6) }
        let parts = text.split(separator: "T", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let ymd = parts[0].split(separator: "-")
        let timeAndFraction = parts[1].split(separator: ".", maxSplits: 1)
        let hms = timeAndFraction[0].split(separator: ":")
        guard ymd.count == 3, hms.count == 3,
              let year = Int(ymd[0]), let month = Int(ymd[1]), let day = Int(ymd[2]),
              let hour = Int(hms[0]), let minute = Int(hms[1]), let second = Int(hms[2]),
              (0...9999).contains(year), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        return (days * 86_400 + hour * 3600 + minute * 60 + second, timeAndFraction.count == 2 ? timeAndFraction[1] : "")
    }

    /// `YYYYMMDD_HHMMSS`, used in file and folder names (boot records, snapshots).
    public static func compact(from date: Date) -> String {
        let full = string(from: date)
        let digits = full.prefix(19).filter { $0.isNumber }
        return String(digits.prefix(8)) + "_" + String(digits.dropFirst(8).prefix(6))
    }

    /// The date of a ``compact(from:)`` string (`YYYYMMDD_HHMMSS`, UTC), or nil.
    public static func date(fromCompact text: some StringProtocol) -> Date? {
        let characters = Array(text)
        guard characters.count == 15, characters[8] == "_", characters.enumerated().allSatisfy({ $0.offset == 8 || $0.element.isNumber })
        else { return nil }
        let digits = String(characters)
        func part(_ from: Int, _ length: Int) -> Substring { digits.dropFirst(from).prefix(length) }
        return date(from: "\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(9, 2)):\(part(11, 2)):\(part(13, 2))Z")
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    // Howard Hinnant's civil-from-days algorithm: avoids Calendar, which is slow and locale-bound.
    private static func civilDate(daysSinceEpoch: Int) -> (Int, Int, Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
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
}
