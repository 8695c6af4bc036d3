#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Why a filter or a log file cannot be used.
public enum LogReaderError: Error, Equatable, CustomStringConvertible {
    case unknownLevel(String)
    case cannotRead(path: String, reason: String)

    public var description: String {
        switch self {
        case .unknownLevel(let name):
            "unknown level '\(name)' (expected one of \(LogLevelName.all.joined(separator: ", ")))"
        case .cannotRead(let path, let reason):
            "cannot read \(path): \(reason)"
        }
    }
}

/// A ``LogFilter`` turned into byte tests, plus the literal "anchors" that every matching line
/// must contain, which lets the reader skip most lines with a substring search instead of
/// parsing them.
///
/// Anchors for a field test are the value's canonical JSON string (`"http"`, quotes included).
/// A line can hold the value without that exact text only by escaping some character
/// differently (`\u0068`, `\/`), so when the anchor is a field value the lines holding `\u` or
/// `\/` are examined as well. Whitespace and key order do not matter: the anchor is the value
/// token alone, and every candidate is then validated and checked at the top level.
struct CompiledFilter {
    struct FieldTest {
        var key: LogKey
        var value: [UInt8]
    }

    var fieldTests: [FieldTest] = []
    /// Bit `rank` set for each allowed level; nil when levels are not filtered.
    var levelMask: UInt8?
    var since: Int64?
    var until: Int64?
    var text: [UInt8]?
    /// A matching line contains at least one of these (empty: every line is a candidate).
    var anchors: [[UInt8]] = []
    /// The anchors are field values, so lines with `\u` or `\/` escapes are candidates too.
    var anchorsNeedEscapeMarkers = false
    /// The anchor is `text`, whose presence then needs no second check.
    var anchorIsText = false

    init(_ filter: LogFilter) throws {
        let pairs: [(LogKey, String?)] = [
            (.runID, filter.runID), (.requestID, filter.requestID), (.verificationID, filter.verificationID),
            (.playbookID, filter.playbookID), (.subsystem, filter.subsystem),
        ]
        for case let (key, value?) in pairs { fieldTests.append(FieldTest(key: key, value: Array(value.utf8))) }
        var mask: UInt8 = 0x7F
        var levelFiltered = false
        if let name = filter.minimumLevel {
            guard let rank = LogLevelName.rank(name) else { throw LogReaderError.unknownLevel(name) }
            mask &= UInt8(truncatingIfNeeded: 0x7F << rank) & 0x7F
            levelFiltered = true
        }
        if filter.errorsOnly {
            mask &= 0b110_0000
            levelFiltered = true
        }
        levelMask = levelFiltered ? mask : nil
        since = filter.since.map(LogTime.microseconds)
        until = filter.until.map(LogTime.microseconds)
        if let text = filter.text, !text.isEmpty { self.text = Array(text.utf8) }
        chooseAnchors()
    }

    var needsTimestamp: Bool { since != nil || until != nil }

    /// Picks the candidate set whose literals are most likely rare: long, and few of them.
    private mutating func chooseAnchors() {
        var best: (score: Double, anchors: [[UInt8]], decoded: Bool, isText: Bool)?
        func consider(_ anchors: [[UInt8]], decoded: Bool, isText: Bool) {
            guard let shortest = anchors.map(\.count).min(), shortest > 0 else { return }
            let score = Double(shortest) / Double(anchors.count)
            if best == nil || score > best!.score { best = (score, anchors, decoded, isText) }
        }
        for test in fieldTests { consider([Self.quotedJSON(test.value)], decoded: true, isText: false) }
        if let text { consider([text], decoded: false, isText: true) }
        if let levelMask {
            let names = LogLevelName.all.indices.filter { levelMask & (1 << $0) != 0 }.map { LogLevelName.all[$0] }
            if names.isEmpty {
                // Nothing can match; an anchor that never occurs in a valid line keeps the scan cheap.
                best = (.infinity, [Array("\u{0}".utf8)], false, false)
            } else if names.count <= 3 {
                consider(names.map { Self.quotedJSON(Array($0.utf8)) }, decoded: true, isText: false)
            }
        }
        if let best {
            anchors = best.anchors
            anchorsNeedEscapeMarkers = best.decoded
            anchorIsText = best.isText
        }
    }

    /// `bytes` as Grace (and most writers) would write it as a JSON string, quotes included.
    static func quotedJSON(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 2)
        bytes.withUnsafeBufferPointer { JSONEscaping.appendQuoted(bytes: $0, to: &out) }
        return out
    }

    /// Whether a validated line passes every test.
    @inline(__always)
    func matches(_ line: UnsafePointer<UInt8>, count: Int, _ fields: LineFields) -> Bool {
        for test in fieldTests {
            let ok = test.value.withUnsafeBufferPointer { JSONLineScanner.stringEquals(line, fields[test.key], $0) }
            if !ok { return false }
        }
        if let levelMask {
            guard let rank = Self.levelRank(line, fields.level), levelMask & (1 << rank) != 0 else { return false }
        }
        if needsTimestamp {
            guard let micros = Self.timestamp(line, fields.timestamp) else { return false }
            if let since, micros < since { return false }
            if let until, micros > until { return false }
        }
        if let text, !anchorIsText {
            let found = text.withUnsafeBufferPointer { ByteSearch.find($0, in: line, from: 0, count: count) >= 0 }
            if !found { return false }
        }
        return true
    }

    /// The rank of an upper-case level name as Grace writes it (`TRACE` = 0 ... `CRITICAL` = 6).
    @inline(__always)
    static func levelRank(_ line: UnsafePointer<UInt8>, _ slice: ValueSlice) -> Int? {
        switch slice.kind {
        case .string:
            return levelRank(line + slice.start, slice.end - slice.start)
        case .escapedString:
            let decoded = JSONLineScanner.decodeString(line, slice.start ..< slice.end)
            return decoded.withUnsafeBufferPointer { levelRank($0.baseAddress!, $0.count) }
        case .absent, .other:
            return nil
        }
    }

    @inline(__always)
    static func levelRank(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        @inline(__always) func equals(_ name: StaticString) -> Bool {
            n == name.utf8CodeUnitCount && memcmp(p, name.utf8Start, n) == 0
        }
        guard n >= 4 else { return nil }
        switch p[0] {
        case UInt8(ascii: "T"): return equals("TRACE") ? 0 : nil
        case UInt8(ascii: "D"): return equals("DEBUG") ? 1 : nil
        case UInt8(ascii: "I"): return equals("INFO") ? 2 : nil
        case UInt8(ascii: "N"): return equals("NOTICE") ? 3 : nil
        case UInt8(ascii: "W"): return equals("WARNING") ? 4 : nil
        case UInt8(ascii: "E"): return equals("ERROR") ? 5 : nil
        case UInt8(ascii: "C"): return equals("CRITICAL") ? 6 : nil
        default: return nil
        }
    }

    @inline(__always)
    static func timestamp(_ line: UnsafePointer<UInt8>, _ slice: ValueSlice) -> Int64? {
        switch slice.kind {
        case .string:
            return LogTime.microseconds(line + slice.start, slice.end - slice.start)
        case .escapedString:
            let decoded = JSONLineScanner.decodeString(line, slice.start ..< slice.end)
            return decoded.withUnsafeBufferPointer { LogTime.microseconds($0.baseAddress, $0.count) }
        case .absent, .other:
            return nil
        }
    }
}
