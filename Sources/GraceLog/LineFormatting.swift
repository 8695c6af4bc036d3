#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// One log line, ready to format: correlation ids resolved, metadata redacted and sorted.
struct LogRecord: Sendable {
    var level: Logger.Level
    var logger: String
    var subsystem: String
    var eventType: String
    var message: String
    var runID: String?
    var playbookID: String?
    var verificationID: String?
    var requestID: String?
    /// Remaining metadata, sorted by key; the keys above are not repeated here.
    var fields: [LogField]
}

/// A struct rather than a tuple: sorting and copying tuples of a generic enum goes through
/// slow unspecialized runtime witnesses.
struct LogField: Sendable {
    var key: String
    var value: Logger.MetadataValue
}

extension Logger.Level {
    var upperName: StaticString {
        switch self {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info: "INFO"
        case .notice: "NOTICE"
        case .warning: "WARNING"
        case .error: "ERROR"
        case .critical: "CRITICAL"
        }
    }
}

extension ByteBuffer {
    /// Appends `string` as a quoted JSON string.
    mutating func appendJSONString(_ string: String) {
        append(UInt8(ascii: "\""))
        appendEscaped(string, json: true)
        append(UInt8(ascii: "\""))
    }

    /// Appends a metadata value as JSON: strings (and string-convertibles) as strings,
    /// dictionaries as objects with sorted keys, arrays as arrays.
    mutating func appendJSONValue(_ value: Logger.MetadataValue) {
        switch value {
        case .string(let string):
            appendJSONString(string)
        case .stringConvertible(let convertible):
            appendJSONString(convertible.description)
        case .dictionary(let dictionary):
            append(UInt8(ascii: "{"))
            var first = true
            for key in dictionary.keys.sorted() {
                if !first { append(UInt8(ascii: ",")) }
                first = false
                appendJSONString(key)
                append(UInt8(ascii: ":"))
                appendJSONValue(dictionary[key]!)
            }
            append(UInt8(ascii: "}"))
        case .array(let array):
            append(UInt8(ascii: "["))
            var first = true
            for element in array {
                if !first { append(UInt8(ascii: ",")) }
                first = false
                appendJSONValue(element)
            }
            append(UInt8(ascii: "]"))
        }
    }

    /// Appends a value for a `key=value` pair: bare when it is a simple token, JSON otherwise.
    mutating func appendPlainValue(_ value: Logger.MetadataValue) {
        switch value {
        case .string(let string):
            appendPlainToken(string)
        case .stringConvertible(let convertible):
            appendPlainToken(convertible.description)
        case .dictionary, .array:
            appendJSONValue(value)
        }
    }

    mutating func appendPlainToken(_ string: String) {
        var bare = !string.isEmpty
        if bare {
            for byte in string.utf8 where byte <= 0x20 || byte == 0x22 || byte == 0x3D || byte == 0x5C {
                bare = false
                break
            }
        }
        if bare {
            append(utf8: string)
        } else {
            appendJSONString(string)
        }
    }
}

/// Formats UTC timestamps as `YYYY-MM-DDTHH:MM:SS.uuuuuuZ`, caching the part up to the
/// seconds so only the microseconds are formatted on most lines.
struct UTCTimestampCache {
    private var cachedSecond = Int.min
    private var prefix: [UInt8] = []

    mutating func appendNow(to buffer: inout ByteBuffer) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        append(seconds: Int(now.tv_sec), nanoseconds: Int(now.tv_nsec), to: &buffer)
    }

    mutating func append(seconds: Int, nanoseconds: Int, to buffer: inout ByteBuffer) {
        if seconds != cachedSecond {
            cachedSecond = seconds
            var time = time_t(seconds)
            var parts = tm()
            gmtime_r(&time, &parts)
            var text = ByteBuffer(capacity: 32)
            text.appendDigits(Int(parts.tm_year) + 1900, width: 4)
            text.append(UInt8(ascii: "-"))
            text.appendTwoDigits(Int(parts.tm_mon) + 1)
            text.append(UInt8(ascii: "-"))
            text.appendTwoDigits(Int(parts.tm_mday))
            text.append(UInt8(ascii: "T"))
            text.appendTwoDigits(Int(parts.tm_hour))
            text.append(UInt8(ascii: ":"))
            text.appendTwoDigits(Int(parts.tm_min))
            text.append(UInt8(ascii: ":"))
            text.appendTwoDigits(Int(parts.tm_sec))
            prefix = Array(text.bytes)
        }
        prefix.withUnsafeBufferPointer { buffer.append($0) }
        buffer.append(UInt8(ascii: "."))
        buffer.appendDigits(nanoseconds / 1000, width: 6)
        buffer.append(UInt8(ascii: "Z"))
    }
}

enum LineFormatter {
    /// `{"timestamp":…,"level":…,"logger":…,"subsystem":…,"event_type":…,"message":…,ids…,fields…}\n`
    static func appendJSON(_ record: LogRecord, clock: inout UTCTimestampCache, to buffer: inout ByteBuffer) {
        buffer.append(static: "{\"timestamp\":\"")
        clock.appendNow(to: &buffer)
        buffer.append(static: "\",\"level\":\"")
        buffer.append(static: record.level.upperName)
        buffer.append(static: "\",\"logger\":")
        buffer.appendJSONString(record.logger)
        buffer.append(static: ",\"subsystem\":")
        buffer.appendJSONString(record.subsystem)
        buffer.append(static: ",\"event_type\":")
        buffer.appendJSONString(record.eventType)
        buffer.append(static: ",\"message\":")
        buffer.appendJSONString(record.message)
        if let id = record.runID {
            buffer.append(static: ",\"run_id\":")
            buffer.appendJSONString(id)
        }
        if let id = record.playbookID {
            buffer.append(static: ",\"playbook_id\":")
            buffer.appendJSONString(id)
        }
        if let id = record.verificationID {
            buffer.append(static: ",\"verification_id\":")
            buffer.appendJSONString(id)
        }
        if let id = record.requestID {
            buffer.append(static: ",\"request_id\":")
            buffer.appendJSONString(id)
        }
        for field in record.fields {
            buffer.append(UInt8(ascii: ","))
            buffer.appendJSONString(field.key)
            buffer.append(UInt8(ascii: ":"))
            buffer.appendJSONValue(field.value)
        }
        buffer.append(static: "}\n")
    }

    /// `2025-11-09T18:30:00.123456Z INFO [subsystem] message run_id=… event_type=… key=value\n`
    static func appendPlain(_ record: LogRecord, clock: inout UTCTimestampCache, to buffer: inout ByteBuffer) {
        clock.appendNow(to: &buffer)
        buffer.append(UInt8(ascii: " "))
        buffer.append(static: record.level.upperName)
        buffer.append(static: " [")
        buffer.appendEscaped(record.subsystem, json: false)
        buffer.append(static: "] ")
        buffer.appendEscaped(record.message, json: false)
        if let id = record.runID {
            buffer.append(static: " run_id=")
            buffer.appendPlainToken(id)
        }
        if let id = record.playbookID {
            buffer.append(static: " playbook_id=")
            buffer.appendPlainToken(id)
        }
        if let id = record.verificationID {
            buffer.append(static: " verification_id=")
            buffer.appendPlainToken(id)
        }
        if let id = record.requestID {
            buffer.append(static: " request_id=")
            buffer.appendPlainToken(id)
        }
        if record.eventType != "log" {
            buffer.append(static: " event_type=")
            buffer.appendPlainToken(record.eventType)
        }
        for field in record.fields {
            buffer.append(UInt8(ascii: " "))
            buffer.appendEscaped(field.key, json: false)
            buffer.append(UInt8(ascii: "="))
            buffer.appendPlainValue(field.value)
        }
        buffer.append(UInt8(ascii: "\n"))
    }
}
