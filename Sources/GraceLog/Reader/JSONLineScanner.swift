#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The top-level keys the reader extracts from a line.
enum LogKey: Int, CaseIterable {
    case timestamp, level, subsystem, eventType, message, runID, playbookID, verificationID, requestID
}

/// Where one top-level value sits in a line: a string's contents (between its quotes), or the JSON
/// text of any other value. `null` counts as absent.
struct ValueSlice {
    enum Kind: UInt8 { case absent, string, escapedString, other }
    var start = 0
    var end = 0
    var kind = Kind.absent

    var isPresent: Bool { kind != .absent }
}

/// The known top-level values of one line (the last occurrence wins, as in jq).
struct LineFields {
    var timestamp = ValueSlice(), level = ValueSlice(), subsystem = ValueSlice(), eventType = ValueSlice()
    var message = ValueSlice(), runID = ValueSlice(), playbookID = ValueSlice(), verificationID = ValueSlice()
    var requestID = ValueSlice()

    subscript(key: LogKey) -> ValueSlice {
        get {
            switch key {
            case .timestamp: timestamp
            case .level: level
            case .subsystem: subsystem
            case .eventType: eventType
            case .message: message
            case .runID: runID
            case .playbookID: playbookID
            case .verificationID: verificationID
            case .requestID: requestID
            }
        }
        set {
            switch key {
            case .timestamp: timestamp = newValue
            case .level: level = newValue
            case .subsystem: subsystem = newValue
            case .eventType: eventType = newValue
            case .message: message = newValue
            case .runID: runID = newValue
            case .playbookID: playbookID = newValue
            case .verificationID: verificationID = newValue
            case .requestID: requestID = newValue
            }
        }
    }
}

/// A strict, allocation-free JSON validator for one line that also records where the known
/// top-level keys' values are. Only the top-level object is interpreted; nested values are
/// validated and skipped. Bytes of 0x80 and above inside strings are passed through unchecked.
enum JSONLineScanner {
    static let maximumDepth = 512

    /// Whether `line[0..<count]` is one JSON object (surrounded by optional whitespace); fills `fields`.
    static func scan(_ line: UnsafePointer<UInt8>, count: Int, into fields: inout LineFields) -> Bool {
        scan(line, count: count) { key, keyEscaped, value in
            if let known = identify(line, key, escaped: keyEscaped) { fields[known] = value }
        }
    }

    /// Validates the line and calls `member` with each top-level key (contents between the quotes,
    /// and whether it holds escapes) and its value.
    @inline(__always)
    static func scan(_ p: UnsafePointer<UInt8>, count n: Int,
                     _ member: (_ key: Range<Int>, _ keyEscaped: Bool, _ value: ValueSlice) -> Void) -> Bool {
        var i = 0
        skipWhitespace(p, &i, n)
        guard i < n, p[i] == UInt8(ascii: "{") else { return false }
        i += 1
        skipWhitespace(p, &i, n)
        guard i < n else { return false }
        if p[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                guard i < n, p[i] == UInt8(ascii: "\"") else { return false }
                var keyEscaped = false
                let keyEnd = scanString(p, i, n, &keyEscaped)
                guard keyEnd > 0 else { return false }
                let key = (i + 1) ..< (keyEnd - 1)
                i = keyEnd
                skipWhitespace(p, &i, n)
                guard i < n, p[i] == UInt8(ascii: ":") else { return false }
                i += 1
                skipWhitespace(p, &i, n)
                guard i < n else { return false }
                var slice = ValueSlice()
                if p[i] == UInt8(ascii: "\"") {
                    var escaped = false
                    let end = scanString(p, i, n, &escaped)
                    guard end > 0 else { return false }
                    slice = ValueSlice(start: i + 1, end: end - 1, kind: escaped ? .escapedString : .string)
                    i = end
                } else {
                    let end = skipValue(p, i, n, depth: 1)
                    guard end > 0 else { return false }
                    if !(end - i == 4 && p[i] == UInt8(ascii: "n")) {
                        slice = ValueSlice(start: i, end: end, kind: .other)
                    }
                    i = end
                }
                member(key, keyEscaped, slice)
                skipWhitespace(p, &i, n)
                guard i < n else { return false }
                if p[i] == UInt8(ascii: ",") {
                    i += 1
                    skipWhitespace(p, &i, n)
                    continue
                }
                guard p[i] == UInt8(ascii: "}") else { return false }
                i += 1
                break
            }
        }
        skipWhitespace(p, &i, n)
        return i == n
    }

    /// The known key named by `line[key]`, if any.
    @inline(__always)
    static func identify(_ p: UnsafePointer<UInt8>, _ key: Range<Int>, escaped: Bool) -> LogKey? {
        if escaped {
            let decoded = decodeString(p, key)
            return decoded.withUnsafeBufferPointer { identify($0.baseAddress!, 0 ..< $0.count) }
        }
        return identify(p + key.lowerBound, 0 ..< key.count)
    }

    @inline(__always)
    private static func identify(_ p: UnsafePointer<UInt8>, _ key: Range<Int>) -> LogKey? {
        let k = p + key.lowerBound
        @inline(__always) func equals(_ name: StaticString) -> Bool {
            memcmp(k, name.utf8Start, name.utf8CodeUnitCount) == 0
        }
        switch key.count {
        case 5: return equals("level") ? .level : nil
        case 6: return equals("run_id") ? .runID : nil
        case 7: return equals("message") ? .message : nil
        case 9:
            if k[0] == UInt8(ascii: "t") { return equals("timestamp") ? .timestamp : nil }
            return equals("subsystem") ? .subsystem : nil
        case 10:
            if k[0] == UInt8(ascii: "e") { return equals("event_type") ? .eventType : nil }
            return equals("request_id") ? .requestID : nil
        case 11: return equals("playbook_id") ? .playbookID : nil
        case 15: return equals("verification_id") ? .verificationID : nil
        default: return nil
        }
    }

    @inline(__always)
    static func skipWhitespace(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int) {
        while i < n {
            let b = p[i]
            guard b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A else { return }
            i += 1
        }
    }

    /// One bit (the high bit of the byte) for each byte of `word` that is a control character,
    /// a quote or a backslash; exact, so the lowest set bit names the first such byte.
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        // A byte of x is zero exactly when ((x & 0x7F) + 0x7F) and x both leave the high bit clear.
        let zeroQuote = ~(((quotes & low7) &+ low7) | quotes | low7)
        let zeroBackslash = ~(((backslashes & low7) &+ low7) | backslashes | low7)
        // Below 0x20: high bit clear and (b & 0x7F) + 0x60 stays below 0x80.
        let control = ~(((word & low7) &+ (ones &* 0x60)) | word | low7)
        return zeroQuote | zeroBackslash | control
    }

    /// `p[i]` is a quote: returns the index after the closing quote, or -1 when the string is invalid.
    @inline(__always)
    static func scanString(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, _ escaped: inout Bool) -> Int {
        var j = i + 1
        while true {
            while j + 8 <= n {
                let special = specialBytes(UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
                if special != 0 {
                    j += special.trailingZeroBitCount >> 3
                    break
                }
                j += 8
            }
            guard j < n else { return -1 }
            let b = p[j]
            if b == UInt8(ascii: "\"") { return j + 1 }
            if b == UInt8(ascii: "\\") {
                escaped = true
                guard j + 1 < n else { return -1 }
                switch p[j + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    j += 2
                case UInt8(ascii: "u"):
                    guard j + 6 <= n, hexValue(p[j + 2]) >= 0, hexValue(p[j + 3]) >= 0, hexValue(p[j + 4]) >= 0,
                          hexValue(p[j + 5]) >= 0 else { return -1 }
                    j += 6
                default:
                    return -1
                }
            } else if b < 0x20 {
                return -1
            } else {
                j += 1
            }
        }
    }

    @inline(__always)
    static func hexValue(_ b: UInt8) -> Int {
        switch b {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): Int(b &- 48)
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): Int(b &- 87)
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): Int(b &- 55)
        default: -1
        }
    }

    /// Skips any JSON value at `p[i]`; returns the index after it, or -1 when invalid.
    static func skipValue(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, depth: Int) -> Int {
        guard i < n else { return -1 }
        switch p[i] {
        case UInt8(ascii: "\""):
            var escaped = false
            return scanString(p, i, n, &escaped)
        case UInt8(ascii: "{"):
            guard depth < maximumDepth else { return -1 }
            var j = i + 1
            skipWhitespace(p, &j, n)
            guard j < n else { return -1 }
            if p[j] == UInt8(ascii: "}") { return j + 1 }
            while true {
                guard j < n, p[j] == UInt8(ascii: "\"") else { return -1 }
                var escaped = false
                j = scanString(p, j, n, &escaped)
                guard j > 0 else { return -1 }
                skipWhitespace(p, &j, n)
                guard j < n, p[j] == UInt8(ascii: ":") else { return -1 }
                j += 1
                skipWhitespace(p, &j, n)
                j = skipValue(p, j, n, depth: depth + 1)
                guard j > 0 else { return -1 }
                skipWhitespace(p, &j, n)
                guard j < n else { return -1 }
                if p[j] == UInt8(ascii: "}") { return j + 1 }
                guard p[j] == UInt8(ascii: ",") else { return -1 }
                j += 1
                skipWhitespace(p, &j, n)
            }
        case UInt8(ascii: "["):
            guard depth < maximumDepth else { return -1 }
            var j = i + 1
            skipWhitespace(p, &j, n)
            guard j < n else { return -1 }
            if p[j] == UInt8(ascii: "]") { return j + 1 }
            while true {
                j = skipValue(p, j, n, depth: depth + 1)
                guard j > 0 else { return -1 }
                skipWhitespace(p, &j, n)
                guard j < n else { return -1 }
                if p[j] == UInt8(ascii: "]") { return j + 1 }
                guard p[j] == UInt8(ascii: ",") else { return -1 }
                j += 1
                skipWhitespace(p, &j, n)
            }
        case UInt8(ascii: "t"): return literal(p, i, n, "true")
        case UInt8(ascii: "f"): return literal(p, i, n, "false")
        case UInt8(ascii: "n"): return literal(p, i, n, "null")
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return number(p, i, n)
        default: return -1
        }
    }

    private static func literal(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, _ word: StaticString) -> Int {
        let length = word.utf8CodeUnitCount
        guard i + length <= n, memcmp(p + i, word.utf8Start, length) == 0 else { return -1 }
        return i + length
    }

    private static func number(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        var j = i
        @inline(__always) func isDigit(_ k: Int) -> Bool { k < n && p[k] >= 48 && p[k] <= 57 }
        if p[j] == UInt8(ascii: "-") { j += 1 }
        guard isDigit(j) else { return -1 }
        if p[j] == UInt8(ascii: "0") {
            j += 1
        } else {
            while isDigit(j) { j += 1 }
        }
        if j < n && p[j] == UInt8(ascii: ".") {
            j += 1
            guard isDigit(j) else { return -1 }
            while isDigit(j) { j += 1 }
        }
        if j < n && (p[j] == UInt8(ascii: "e") || p[j] == UInt8(ascii: "E")) {
            j += 1
            if j < n && (p[j] == UInt8(ascii: "+") || p[j] == UInt8(ascii: "-")) { j += 1 }
            guard isDigit(j) else { return -1 }
            while isDigit(j) { j += 1 }
        }
        return j
    }

    /// Decodes the contents of a valid JSON string (between its quotes) to UTF-8 bytes.
    /// Lone surrogates become U+FFFD.
    static func decodeString(_ p: UnsafePointer<UInt8>, _ range: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var j = range.lowerBound
        let end = range.upperBound
        while j < end {
            let b = p[j]
            guard b == UInt8(ascii: "\\"), j + 1 < end else {
                out.append(b)
                j += 1
                continue
            }
            let e = p[j + 1]
            j += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard j + 4 <= end else { return out }
                var scalar = hex4(p, j)
                j += 4
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    if j + 6 <= end, p[j] == UInt8(ascii: "\\"), p[j + 1] == UInt8(ascii: "u") {
                        let low = hex4(p, j + 2)
                        if low >= 0xDC00 && low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            j += 6
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    scalar = 0xFFFD
                }
                appendUTF8(UInt32(scalar), to: &out)
            default: out.append(e)
            }
        }
        return out
    }

    private static func hex4(_ p: UnsafePointer<UInt8>, _ j: Int) -> Int {
        (max(hexValue(p[j]), 0) << 12) | (max(hexValue(p[j + 1]), 0) << 8) | (max(hexValue(p[j + 2]), 0) << 4)
            | max(hexValue(p[j + 3]), 0)
    }

    private static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0 ..< 0x80:
            out.append(UInt8(scalar))
        case 0x80 ..< 0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800 ..< 0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// The value as a Swift string: strings decoded, other values as their JSON text, absent as nil.
    static func string(_ p: UnsafePointer<UInt8>, _ slice: ValueSlice) -> String? {
        switch slice.kind {
        case .absent: return nil
        case .string, .other:
            return String(decoding: UnsafeBufferPointer(start: p + slice.start, count: slice.end - slice.start), as: UTF8.self)
        case .escapedString:
            return String(decoding: decodeString(p, slice.start ..< slice.end), as: UTF8.self)
        }
    }

    /// Whether a string value decodes to exactly `expected` (false for non-string values).
    @inline(__always)
    static func stringEquals(_ p: UnsafePointer<UInt8>, _ slice: ValueSlice, _ expected: UnsafeBufferPointer<UInt8>) -> Bool {
        switch slice.kind {
        case .string:
            return slice.end - slice.start == expected.count
                && (expected.isEmpty || memcmp(p + slice.start, expected.baseAddress!, expected.count) == 0)
        case .escapedString:
            return decodeString(p, slice.start ..< slice.end).withUnsafeBufferPointer { decoded in
                decoded.count == expected.count
                    && (expected.isEmpty || memcmp(decoded.baseAddress!, expected.baseAddress!, expected.count) == 0)
            }
        case .absent, .other:
            return false
        }
    }
}

extension LogEntry {
    /// Decodes a line given as bytes; nil when it is not a JSON object.
    init?(bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var fields = LineFields()
        guard JSONLineScanner.scan(base, count: bytes.count, into: &fields) else { return nil }
        self.init(fields: fields, base: base, count: bytes.count)
    }

    init(fields: LineFields, base: UnsafePointer<UInt8>, count: Int) {
        func text(_ key: LogKey) -> String? { JSONLineScanner.string(base, fields[key]) }
        self.init(timestamp: text(.timestamp) ?? "", level: text(.level) ?? "", subsystem: text(.subsystem) ?? "",
                  eventType: text(.eventType) ?? "", message: text(.message) ?? "", runID: text(.runID),
                  playbookID: text(.playbookID), verificationID: text(.verificationID), requestID: text(.requestID),
                  raw: String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self))
    }
}
