import Logging

/// swift-log handler writing one JSON object per line to a ``LogFileSink`` (or a plain text
/// line when the sink's configuration is not structured), and optionally a human-readable
/// line to stderr through ``ConsoleLogOutput``.
///
/// ```
/// {"timestamp":"2025-11-09T18:30:00.123456Z","level":"INFO","logger":"grace.boot","subsystem":"boot_pipeline","event_type":"stage_complete","message":"...","run_id":"...", ...metadata}
/// ```
/// - `timestamp`: UTC with microseconds, fixed width. `level`: upper case.
/// - `subsystem`: metadata `subsystem` when set, else the logger label.
///   `event_type`: metadata `event_type` when set, else `"log"`.
/// - `run_id`, `playbook_id`, `verification_id`, `request_id`: from metadata with that key when
///   set, else from ``LogContext``; omitted when neither has one.
/// - Other metadata follows, sorted by key: strings and string-convertibles as JSON strings,
///   dictionaries as objects, arrays as arrays. Metadata named `timestamp`, `level`, `logger`
///   or `message` is written as `meta_<key>` so it cannot shadow the fixed fields.
/// - An error passed to the log call adds `error` (its description) and `error_type`.
/// - Known secrets are replaced by `[REDACTED]` in every string before it is written.
///
/// `logLevel` gates everything; the console's level and event types filter the console further
/// (``ConsoleLogOutput/shows(_:eventType:)``).
public struct GraceLogHandler: LogHandler {
    /// The `event_type` of lines that do not set one.
    public static let defaultEventType = "log"

    /// The logger label, also the default subsystem.
    public let label: String
    /// The lowest level logged (to the file and the console).
    public var logLevel: Logger.Level
    /// Metadata added to every line of this logger; metadata passed to a log call wins.
    public var metadata: Logger.Metadata = [:]
    /// Supported, but correlation ids need none: they are read from ``LogContext`` directly.
    public var metadataProvider: Logger.MetadataProvider?

    let sink: LogFileSink?
    let console: ConsoleLogOutput?
    let redactor: SecretRedactor

    /// - Parameters:
    ///   - label: the logger label; also the subsystem of lines that do not set one.
    ///   - sink: the log file, or nil for none.
    ///   - console: human-readable stderr output, or nil for none.
    ///   - redactor: secrets to remove from every line.
    ///   - level: the lowest level logged.
    public init(
        label: String,
        sink: LogFileSink?,
        console: ConsoleLogOutput?,
        redactor: SecretRedactor,
        level: Logger.Level = .info
    ) {
        self.label = label
        self.sink = sink
        self.console = console
        self.redactor = redactor
        self.logLevel = level
    }

    /// One entry of ``metadata``.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Formats the event once and hands it to the file sink and, when its level is high
    /// enough, the console.
    public func log(event: LogEvent) {
        let toConsole = console?.shows(event.level) {
            (event.metadata?["event_type"] ?? metadata["event_type"]).map(\.flatString)
        } ?? false
        if sink == nil && !toConsole { return }
        let record = makeRecord(event)
        sink?.write(record)
        if toConsole { console?.write(record) }
    }

    func makeRecord(_ event: LogEvent) -> LogRecord {
        var metadata = self.metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            metadata.merge(provided) { _, provided in provided }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            if metadata.isEmpty {
                metadata = explicit
            } else {
                metadata.merge(explicit) { _, explicit in explicit }
            }
        }
        if let error = event.error {
            if metadata["error"] == nil { metadata["error"] = .string(String(describing: error)) }
            if metadata["error_type"] == nil { metadata["error_type"] = .string(String(reflecting: type(of: error))) }
        }

        var record = LogRecord(
            level: event.level,
            logger: label,
            subsystem: label,
            eventType: "log",
            message: event.message.description,
            fields: []
        )
        if !metadata.isEmpty {
            record.fields.reserveCapacity(metadata.count)
            for (key, value) in metadata {
                switch Self.specialKey(key) {
                case .subsystem: record.subsystem = value.flatString
                case .eventType: record.eventType = value.flatString
                case .runID: record.runID = value.flatString
                case .playbookID: record.playbookID = value.flatString
                case .verificationID: record.verificationID = value.flatString
                case .requestID: record.requestID = value.flatString
                case .reserved: record.fields.append(LogField(key: "meta_" + key, value: value))
                case nil: record.fields.append(LogField(key: key, value: value))
                }
            }
            if record.fields.count > 1 {
                record.fields.sort { $0.key < $1.key }
            }
        }
        let ids = LogContext.ids
        if record.runID == nil { record.runID = ids.runID }
        if record.playbookID == nil { record.playbookID = ids.playbookID }
        if record.verificationID == nil { record.verificationID = ids.verificationID }
        if record.requestID == nil { record.requestID = ids.requestID }

        if !redactor.isEmpty {
            record.message = redactor.redact(record.message)
            record.subsystem = redactor.redact(record.subsystem)
            record.eventType = redactor.redact(record.eventType)
            record.runID = record.runID.map(redactor.redact)
            record.playbookID = record.playbookID.map(redactor.redact)
            record.verificationID = record.verificationID.map(redactor.redact)
            record.requestID = record.requestID.map(redactor.redact)
            for index in record.fields.indices {
                record.fields[index].key = redactor.redact(record.fields[index].key)
                record.fields[index].value = redactor.redact(record.fields[index].value)
            }
        }
        return record
    }

    private enum SpecialKey {
        case subsystem, eventType, runID, playbookID, verificationID, requestID
        /// Names of fixed fields that metadata must not shadow.
        case reserved
    }

    /// Dispatches on the first byte so ordinary keys cost no string comparison.
    @inline(__always)
    private static func specialKey(_ key: String) -> SpecialKey? {
        switch key.utf8.first {
        case UInt8(ascii: "s"): key == "subsystem" ? .subsystem : nil
        case UInt8(ascii: "e"): key == "event_type" ? .eventType : nil
        case UInt8(ascii: "r"): key == "run_id" ? .runID : key == "request_id" ? .requestID : nil
        case UInt8(ascii: "p"): key == "playbook_id" ? .playbookID : nil
        case UInt8(ascii: "v"): key == "verification_id" ? .verificationID : nil
        case UInt8(ascii: "t"): key == "timestamp" ? .reserved : nil
        case UInt8(ascii: "l"): key == "level" || key == "logger" ? .reserved : nil
        case UInt8(ascii: "m"): key == "message" ? .reserved : nil
        default: nil
        }
    }
}

extension Logger.MetadataValue {
    /// The value as one string, for fields that must be strings (subsystem, ids).
    var flatString: String {
        switch self {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .dictionary, .array: description
        }
    }
}

/// Builds the handler factory for `LoggingSystem.bootstrap`.
public enum GraceLogging {
    /// A factory making a ``GraceLogHandler`` for each logger label, all sharing `sink`,
    /// `console` and `redactor`.
    ///
    /// ```swift
    /// LoggingSystem.bootstrap(GraceLogging.makeHandlerFactory(sink: sink, console: console, redactor: redactor, level: .info))
    /// ```
    public static func makeHandlerFactory(
        sink: LogFileSink?,
        console: ConsoleLogOutput?,
        redactor: SecretRedactor,
        level: Logger.Level
    ) -> @Sendable (String) -> any LogHandler {
        { label in
            GraceLogHandler(label: label, sink: sink, console: console, redactor: redactor, level: level)
        }
    }
}
