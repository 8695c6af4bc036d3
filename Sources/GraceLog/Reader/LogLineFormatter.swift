#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Human-readable rendering of JSON log lines for a terminal:
/// `2025-11-09T18:30:00.123456Z INFO     http serving event_type=server_listening port=8000 run=run_…`
/// (the console format of ``ConsoleLogOutput``, with the full timestamp as written). Colours
/// are ANSI codes when `colored`. Control characters in values are escaped so a line stays one line.
public struct LogLineFormatter: Sendable {
    public var colored: Bool

    public init(colored: Bool) {
        self.colored = colored
    }

    /// Appends the rendering of `line` (a JSON object; anything else is appended as it is) and a newline.
    public func append(_ line: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            output.append(0x0A)
            return
        }
        var known = LineFields()
        var extras: [(key: Range<Int>, escaped: Bool, value: ValueSlice)] = []
        let valid = JSONLineScanner.scan(base, count: line.count) { key, escaped, value in
            if let id = JSONLineScanner.identify(base, key, escaped: escaped) {
                known[id] = value
            } else {
                extras.append((key, escaped, value))
            }
        }
        guard valid else {
            output.append(contentsOf: line)
            output.append(0x0A)
            return
        }
        func text(_ slice: ValueSlice) -> String? { JSONLineScanner.string(base, slice) }

        paint("\u{1B}[2m", text(known.timestamp) ?? "-", into: &output)
        output.append(0x20)
        let level = text(known.level) ?? "-"
        paint(Self.color(level: level), level, into: &output)
        output.append(contentsOf: repeatElement(0x20, count: max(1, 9 - level.utf8.count)))
        paint("\u{1B}[36m", text(known.subsystem) ?? "-", into: &output)
        output.append(0x20)
        plain(text(known.message) ?? "", into: &output)
        if let event = text(known.eventType), event != GraceLogHandler.defaultEventType {
            pair("event_type", event, into: &output)
        }
        for extra in extras {
            let key = extra.escaped
                ? String(decoding: JSONLineScanner.decodeString(base, extra.key), as: UTF8.self)
                : String(decoding: UnsafeBufferPointer(start: base + extra.key.lowerBound, count: extra.key.count), as: UTF8.self)
            if key == "logger" { continue }
            pair(key, text(extra.value) ?? "null", into: &output)
        }
        if let id = text(known.runID) { pair("run", id, into: &output) }
        if let id = text(known.playbookID) { pair("playbook", id, into: &output) }
        if let id = text(known.verificationID) { pair("verification", id, into: &output) }
        if let id = text(known.requestID) { pair("request", id, into: &output) }
        output.append(0x0A)
    }

    /// The rendering of one line, without the newline (for tests and small outputs).
    public func render(_ line: String) -> String {
        var output: [UInt8] = []
        var copy = line
        copy.withUTF8 { append(UnsafeRawBufferPointer($0), to: &output) }
        return String(decoding: output.dropLast(), as: UTF8.self)
    }

    private func paint(_ color: String, _ text: String, into output: inout [UInt8]) {
        if colored { output.append(contentsOf: color.utf8) }
        plain(text, into: &output)
        if colored { output.append(contentsOf: "\u{1B}[0m".utf8) }
    }

    private func pair(_ key: String, _ value: String, into output: inout [UInt8]) {
        output.append(0x20)
        if colored { output.append(contentsOf: "\u{1B}[2m".utf8) }
        plain(key, into: &output)
        output.append(UInt8(ascii: "="))
        if colored { output.append(contentsOf: "\u{1B}[0m".utf8) }
        let needsQuotes = value.isEmpty || value.utf8.contains { $0 == 0x20 || $0 == UInt8(ascii: "\"") }
        if needsQuotes { output.append(UInt8(ascii: "\"")) }
        plain(value, into: &output)
        if needsQuotes { output.append(UInt8(ascii: "\"")) }
    }

    /// Appends `text` with control characters (and ESC, so a line cannot repaint the terminal) escaped.
    private func plain(_ text: String, into output: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0 ..< 0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: output.append(byte)
            }
        }
    }

    static func color(level: String) -> String {
        switch level {
        case "TRACE": "\u{1B}[90m"
        case "DEBUG": "\u{1B}[34m"
        case "INFO": "\u{1B}[32m"
        case "NOTICE": "\u{1B}[1;32m"
        case "WARNING": "\u{1B}[33m"
        case "ERROR": "\u{1B}[31m"
        case "CRITICAL": "\u{1B}[1;97;41m"
        default: "\u{1B}[0m"
        }
    }
}

/// Buffered writes to a file descriptor: bytes collect in a large buffer written with one
/// `write(2)` when full, so printing millions of lines costs a few hundred system calls.
public final class OutputBuffer {
    private let fd: Int32
    private let capacity: Int
    private var storage: UnsafeMutablePointer<UInt8>
    private var used = 0
    /// Set when a write failed (e.g. the reader of a pipe went away); later writes are dropped.
    public private(set) var failed = false

    public init(fd: Int32 = 1, capacity: Int = 1 << 20) {
        self.fd = fd
        self.capacity = max(capacity, 4096)
        storage = .allocate(capacity: self.capacity)
    }

    deinit {
        flush()
        storage.deallocate()
    }

    /// Appends `bytes` and a newline.
    @inline(__always)
    public func writeLine(_ bytes: UnsafeRawBufferPointer) {
        if used + bytes.count + 1 > capacity {
            flush()
            if bytes.count + 1 > capacity {
                writeAll(bytes)
                var newline: UInt8 = 0x0A
                withUnsafeBytes(of: &newline) { writeAll($0) }
                return
            }
        }
        if let source = bytes.baseAddress, bytes.count > 0 { memcpy(storage + used, source, bytes.count) }
        used += bytes.count
        storage[used] = 0x0A
        used += 1
    }

    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            if used + raw.count > capacity { flush() }
            if raw.count > capacity {
                writeAll(raw)
            } else if let source = raw.baseAddress, raw.count > 0 {
                memcpy(storage + used, source, raw.count)
                used += raw.count
            }
        }
    }

    public func write(_ text: String) { write(Array(text.utf8)) }

    public func flush() {
        guard used > 0 else { return }
        writeAll(UnsafeRawBufferPointer(start: storage, count: used))
        used = 0
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) {
        guard !failed, var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = systemWrite(fd, pointer, remaining)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 {
                failed = true
                return
            }
            pointer += written
            remaining -= written
        }
    }
}
