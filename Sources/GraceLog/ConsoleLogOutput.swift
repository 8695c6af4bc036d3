#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// Writes human-readable lines to stderr:
/// `HH:MM:SS.mmm LEVEL    subsystem message key=value run=… playbook=… verification=… request=…`
/// (local time), coloured with ANSI codes when `colored`, plain otherwise.
///
/// Which lines: those at ``minimumLevel`` or above, plus those whose `event_type` is in
/// ``shownEvents`` whatever their level, minus those whose `event_type` is in ``hiddenEvents``
/// (see ``shows(_:eventType:)``). Every line still reaches the log file.
public struct ConsoleLogOutput: Sendable {
    /// Use ANSI colours; set it when stderr is a terminal (``stderrIsTerminal``).
    public var colored: Bool
    /// Lines below this level are not shown on the console (they still reach the log file),
    /// unless their `event_type` is one of ``shownEvents``.
    public var minimumLevel: Logger.Level
    /// Event types shown at any level: what an operator follows (detections, decisions, fix results, restarts).
    public var shownEvents: Set<String>
    /// Event types never shown, at any level (e.g. a supervised service's own output, which has its own
    /// levels and would drown the rest); they stay in the log file.
    public var hiddenEvents: Set<String>

    /// - Parameters:
    ///   - colored: use ANSI colours (pass ``stderrIsTerminal``).
    ///   - minimumLevel: the lowest level shown on the console.
    ///   - shownEvents: event types shown whatever their level.
    ///   - hiddenEvents: event types never shown.
    public init(colored: Bool, minimumLevel: Logger.Level, shownEvents: Set<String> = [], hiddenEvents: Set<String> = []) {
        self.colored = colored
        self.minimumLevel = minimumLevel
        self.shownEvents = shownEvents
        self.hiddenEvents = hiddenEvents
    }

    /// Whether a line at `level` goes to the console; `eventType` (its `event_type`, nil for none) is
    /// only asked for when some event types are shown or hidden.
    public func shows(_ level: Logger.Level, eventType: () -> String?) -> Bool {
        if shownEvents.isEmpty && hiddenEvents.isEmpty { return level >= minimumLevel }
        if let type = eventType() {
            if hiddenEvents.contains(type) { return false }
            if shownEvents.contains(type) { return true }
        }
        return level >= minimumLevel
    }

    /// Whether stderr is a terminal, i.e. whether colours are appropriate.
    public static var stderrIsTerminal: Bool { isatty(2) != 0 }

    func write(_ record: LogRecord) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var line = ByteBuffer(capacity: 256)
        format(record, seconds: Int(now.tv_sec), nanoseconds: Int(now.tv_nsec), into: &line)
        // One write per line keeps lines from concurrent loggers whole.
        let bytes = line.bytes
        var offset = 0
        while offset < bytes.count {
            let written = systemWrite(2, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }

    func format(_ record: LogRecord, seconds: Int, nanoseconds: Int, into line: inout ByteBuffer) {
        var time = time_t(seconds)
        var parts = tm()
        localtime_r(&time, &parts)
        if colored { line.append(static: "\u{1B}[2m") }
        line.appendTwoDigits(Int(parts.tm_hour))
        line.append(UInt8(ascii: ":"))
        line.appendTwoDigits(Int(parts.tm_min))
        line.append(UInt8(ascii: ":"))
        line.appendTwoDigits(Int(parts.tm_sec))
        line.append(UInt8(ascii: "."))
        line.appendDigits(nanoseconds / 1_000_000, width: 3)
        if colored { line.append(static: "\u{1B}[0m") }
        line.append(UInt8(ascii: " "))

        if colored { line.append(static: Self.color(of: record.level)) }
        let nameStart = line.count
        line.append(static: record.level.upperName)
        let nameLength = line.count - nameStart
        if colored { line.append(static: "\u{1B}[0m") }
        for _ in nameLength ..< 8 { line.append(UInt8(ascii: " ")) }
        line.append(UInt8(ascii: " "))

        if colored { line.append(static: "\u{1B}[36m") }
        line.appendEscaped(record.subsystem, json: false)
        if colored { line.append(static: "\u{1B}[0m") }
        line.append(UInt8(ascii: " "))
        line.appendEscaped(record.message, json: false)

        if record.eventType != "log" {
            appendPair("event_type", record.eventType, to: &line)
        }
        for field in record.fields {
            line.append(UInt8(ascii: " "))
            if colored { line.append(static: "\u{1B}[2m") }
            line.appendEscaped(field.key, json: false)
            line.append(UInt8(ascii: "="))
            if colored { line.append(static: "\u{1B}[0m") }
            line.appendPlainValue(field.value)
        }
        if let id = record.runID { appendPair("run", id, to: &line) }
        if let id = record.playbookID { appendPair("playbook", id, to: &line) }
        if let id = record.verificationID { appendPair("verification", id, to: &line) }
        if let id = record.requestID { appendPair("request", id, to: &line) }
        line.append(UInt8(ascii: "\n"))
    }

    private func appendPair(_ key: StaticString, _ value: String, to line: inout ByteBuffer) {
        line.append(UInt8(ascii: " "))
        if colored { line.append(static: "\u{1B}[2m") }
        line.append(static: key)
        line.append(UInt8(ascii: "="))
        if colored { line.append(static: "\u{1B}[0m") }
        line.appendPlainToken(value)
    }

    private static func color(of level: Logger.Level) -> StaticString {
        switch level {
        case .trace: "\u{1B}[90m"
        case .debug: "\u{1B}[34m"
        case .info: "\u{1B}[32m"
        case .notice: "\u{1B}[1;32m"
        case .warning: "\u{1B}[33m"
        case .error: "\u{1B}[31m"
        case .critical: "\u{1B}[1;97;41m"
        }
    }
}
