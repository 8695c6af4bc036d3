#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Grace's one routine for escaping text into JSON strings: log lines, the log reader's filter
/// anchors and the server's hand-written timeline JSON all go through it, so they agree byte for byte.
///
/// Escapes `"`, `\`, `\n`, `\r`, `\t`, `\b` and `\f` in their short forms and other control
/// characters as `\u00XX` (what `JSONEncoder` writes); `/` and non-ASCII UTF-8 pass through.
public enum JSONEscaping {
    /// Appends `string` as a quoted JSON string.
    public static func appendQuoted(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { escape($0, json: true, into: &output) }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends `bytes` (UTF-8 text) as a quoted JSON string.
    public static func appendQuoted(bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        escape(bytes, json: true, into: &output)
        output.append(UInt8(ascii: "\""))
    }

    /// Appends `bytes` escaped for JSON (`json`: `"`, `\` and control characters) or for a
    /// plain-text line (control characters only, so a record stays on one line).
    @inline(__always)
    static func escape<Output: EscapedOutput & ~Copyable>(
        _ bytes: UnsafeBufferPointer<UInt8>, json: Bool, into output: inout Output
    ) {
        guard let start = bytes.baseAddress else { return }
        let count = bytes.count
        output.reserveExtra(count)
        var runStart = 0
        var index = 0
        // Most text needs no escaping: check eight bytes at a time and copy clean runs whole.
        while index + 8 <= count {
            let word = UnsafeRawPointer(start + index).loadUnaligned(as: UInt64.self)
            if !needsEscape(word, json: json) {
                index += 8
                continue
            }
            let end = index + 8
            while index < end {
                escapeIfNeeded(start, index, &runStart, json: json, into: &output)
                index += 1
            }
        }
        if index < count {
            // The last few bytes as one word too: the final eight bytes when there are that
            // many (rechecking some is harmless), else the tail padded with a clean byte.
            var word: UInt64 = 0x4141_4141_4141_4141
            if count >= 8 {
                word = UnsafeRawPointer(start + count - 8).loadUnaligned(as: UInt64.self)
            } else {
                withUnsafeMutableBytes(of: &word) { _ = memcpy($0.baseAddress!, start + index, count - index) }
            }
            if needsEscape(word, json: json) {
                while index < count {
                    escapeIfNeeded(start, index, &runStart, json: json, into: &output)
                    index += 1
                }
            }
        }
        output.appendBytes(start + runStart, count - runStart)
    }

    /// Whether any byte of `word` is below 0x20, or (for JSON) a quote or a backslash.
    @inline(__always)
    private static func needsEscape(_ word: UInt64, json: Bool) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & high
        if !json { return control != 0 }
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let special = ((quotes &- ones) & ~quotes) | ((backslashes &- ones) & ~backslashes)
        return (control | (special & high)) != 0
    }

    @inline(__always)
    private static func escapeIfNeeded<Output: EscapedOutput & ~Copyable>(
        _ start: UnsafePointer<UInt8>, _ index: Int, _ runStart: inout Int, json: Bool, into output: inout Output
    ) {
        let byte = start[index]
        if byte >= 0x20 && (!json || (byte != 0x22 && byte != 0x5C)) { return }
        output.appendBytes(start + runStart, index - runStart)
        appendEscape(for: byte, into: &output)
        runStart = index + 1
    }

    private static func appendEscape<Output: EscapedOutput & ~Copyable>(for byte: UInt8, into output: inout Output) {
        output.appendByte(UInt8(ascii: "\\"))
        switch byte {
        case 0x22: output.appendByte(UInt8(ascii: "\""))
        case 0x5C: output.appendByte(UInt8(ascii: "\\"))
        case 0x0A: output.appendByte(UInt8(ascii: "n"))
        case 0x0D: output.appendByte(UInt8(ascii: "r"))
        case 0x09: output.appendByte(UInt8(ascii: "t"))
        case 0x08: output.appendByte(UInt8(ascii: "b"))
        case 0x0C: output.appendByte(UInt8(ascii: "f"))
        default:
            output.appendByte(UInt8(ascii: "u"))
            output.appendByte(UInt8(ascii: "0"))
            output.appendByte(UInt8(ascii: "0"))
            output.appendByte(hexDigit(byte >> 4))
            output.appendByte(hexDigit(byte & 0x0F))
        }
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 48 + nibble : 87 + nibble
    }
}

/// Where ``JSONEscaping`` writes: the log formatter's ``ByteBuffer`` or a byte array.
protocol EscapedOutput: ~Copyable {
    /// Room for `extra` more bytes, when the output benefits from being told.
    mutating func reserveExtra(_ extra: Int)
    mutating func appendBytes(_ start: UnsafePointer<UInt8>, _ count: Int)
    mutating func appendByte(_ byte: UInt8)
}

extension ByteBuffer: EscapedOutput {
    @inline(__always)
    mutating func reserveExtra(_ extra: Int) { reserve(extra) }

    @inline(__always)
    mutating func appendBytes(_ start: UnsafePointer<UInt8>, _ count: Int) {
        append(UnsafeBufferPointer(start: start, count: count))
    }

    @inline(__always)
    mutating func appendByte(_ byte: UInt8) { append(byte) }

    /// Appends `string` escaped for JSON (`json`) or for a plain-text line (``JSONEscaping``).
    mutating func appendEscaped(_ string: String, json: Bool) {
        if string.utf8.withContiguousStorageIfAvailable({ appendEscaped(bytes: $0, json: json) }) == nil {
            var copy = string
            copy.withUTF8 { appendEscaped(bytes: $0, json: json) }
        }
    }

    mutating func appendEscaped(bytes: UnsafeBufferPointer<UInt8>, json: Bool) {
        JSONEscaping.escape(bytes, json: json, into: &self)
    }
}

extension Array: EscapedOutput where Element == UInt8 {
    /// Nothing: reserving `count + extra` on every call would defeat `Array`'s geometric growth.
    mutating func reserveExtra(_ extra: Int) {}

    mutating func appendBytes(_ start: UnsafePointer<UInt8>, _ count: Int) {
        append(contentsOf: UnsafeBufferPointer(start: start, count: count))
    }

    mutating func appendByte(_ byte: UInt8) { append(byte) }
}
