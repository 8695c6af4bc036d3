import Foundation

/// Which log lines to keep. Every field set must hold (AND); nil fields do not filter.
///
/// Field filters (`subsystem`, the four correlation ids) compare the decoded string value of the
/// top-level key exactly: `{"subsystem" : "htt\u0070"}` matches `subsystem: "http"`, a value that
/// merely contains `"subsystem":"http"` inside another string does not.
public struct LogFilter: Sendable, Equatable {
    public var subsystem: String?
    public var runID: String?
    public var playbookID: String?
    public var verificationID: String?
    public var requestID: String?
    /// At or above this level: `TRACE < DEBUG < INFO < NOTICE < WARNING < ERROR < CRITICAL`
    /// (any case here; `WARN` and `FATAL` are accepted as aliases). Lines are compared by their
    /// `level` value as Grace writes it (upper case); a line without a known level fails it.
    public var minimumLevel: String?
    /// Only `ERROR` and `CRITICAL` lines.
    public var errorsOnly: Bool
    /// Lines whose `timestamp` is at or after this instant.
    public var since: Date?
    /// Lines whose `timestamp` is at or before this instant.
    public var until: Date?
    /// A substring anywhere in the raw line (case-sensitive, bytes as written).
    public var text: String?

    public init(subsystem: String? = nil, runID: String? = nil, playbookID: String? = nil, verificationID: String? = nil,
                requestID: String? = nil, minimumLevel: String? = nil, errorsOnly: Bool = false, since: Date? = nil,
                until: Date? = nil, text: String? = nil) {
        self.subsystem = subsystem
        self.runID = runID
        self.playbookID = playbookID
        self.verificationID = verificationID
        self.requestID = requestID
        self.minimumLevel = minimumLevel
        self.errorsOnly = errorsOnly
        self.since = since
        self.until = until
        self.text = text
    }

    /// No line is filtered out (malformed lines are still skipped).
    public var isEmpty: Bool { self == LogFilter() }
}

/// What a scan went through.
public struct LogScanStats: Sendable, Equatable {
    /// Lines read (blank lines included).
    public var scanned: Int
    /// Lines that matched the filter (and were handed to the caller, up to an early stop).
    public var matched: Int
    /// Lines examined in full that were not a JSON object. Lines ruled out by the byte-level
    /// prefilter are not validated, so with a selective filter this counts only the malformed
    /// lines that could have matched; with an empty filter it counts every malformed line.
    public var malformed: Int

    public init(scanned: Int = 0, matched: Int = 0, malformed: Int = 0) {
        self.scanned = scanned
        self.matched = matched
        self.malformed = malformed
    }
}

/// One decoded log line. Missing string fields are empty (ids: nil); a non-string value keeps its
/// JSON text (`"port": 8000` gives `"8000"`).
public struct LogEntry: Sendable, Equatable {
    public var timestamp: String
    public var level: String
    public var subsystem: String
    public var eventType: String
    public var message: String
    public var runID, playbookID, verificationID, requestID: String?
    /// The line as read, without its newline.
    public var raw: String

    public init(timestamp: String = "", level: String = "", subsystem: String = "", eventType: String = "", message: String = "",
                runID: String? = nil, playbookID: String? = nil, verificationID: String? = nil, requestID: String? = nil,
                raw: String = "") {
        self.timestamp = timestamp
        self.level = level
        self.subsystem = subsystem
        self.eventType = eventType
        self.message = message
        self.runID = runID
        self.playbookID = playbookID
        self.verificationID = verificationID
        self.requestID = requestID
        self.raw = raw
    }

    /// Decodes one line; nil when it is not a JSON object.
    public init?(line: String) {
        var copy = line
        guard let entry = copy.withUTF8({ LogEntry(bytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = entry
    }

    /// The `timestamp` as an instant, when it parses.
    public var date: Date? {
        LogTime.microseconds(timestamp).map { Date(timeIntervalSince1970: Double($0) / 1_000_000) }
    }
}

/// Level names in order, and parsing of the user's spelling.
public enum LogLevelName {
    /// `TRACE` ... `CRITICAL`, lowest first.
    public static let all = ["TRACE", "DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL"]

    /// The rank (0 = TRACE) of a level name in any case, with `WARN` and `FATAL` as aliases; nil when unknown.
    public static func rank(_ name: String) -> Int? {
        let upper = name.uppercased()
        switch upper {
        case "WARN": return 4
        case "FATAL": return 6
        default: return all.firstIndex(of: upper)
        }
    }
}
