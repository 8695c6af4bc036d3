/// Splits one log message into the tokens the template miner compares, masking the parts that vary.
///
/// A message is cut at whitespace into chunks. A chunk that is as a whole a value (an IP address
/// with or without a port, `host:port`, a dotted host name, a UUID, a MAC address, a path or URL, a
/// number with or without a unit such as `12 ms` or `(1.16 KB)`) becomes one variable. Any other
/// chunk is cut further at `= : , ( ) [ ] { } < > | ; "` and each piece that holds a digit (bar a
/// word ending in a single digit, like `SOCKS5` or `eth0`), a `/`, or is single-quoted becomes a
/// variable. Adjacent variables fold into one, so `1190 bytes (1.16 KB) sent` and `0 bytes sent`
/// tokenise alike. The same rules hold for every input; nothing here knows where a message is from.
///
/// Written by hand over UTF-8 bytes rather than with regular expressions: the miner runs this on
/// every line, and a byte scanner is an order of magnitude faster than `Regex` or
/// `NSRegularExpression` here.
public enum MessageTokenizer {
    /// One token: a constant piece of text, or a variable part. `lead` is the text between the
    /// previous token and this one (separators), kept so a template can be rendered like the message.
    public struct Token: Sendable, Hashable {
        /// The constant text; `nil` for a variable part.
        public var text: String?
        public var lead: String
        public var isVariable: Bool { text == nil }
    }

    /// The tokens of `message`, plus the text after the last token.
    public static func tokenize(_ message: String) -> (tokens: [Token], trailer: String) {
        var copy = message
        return copy.withUTF8 { bytes in
            let pieces = scan(bytes)
            return render(pieces, in: bytes)
        }
    }

    /// One token as a byte range of the message; `variable` when it is a masked part (which may
    /// span several folded values).
    struct Piece {
        var range: Range<Int>
        var variable: Bool
    }

    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> [Piece] {
        var buffers = Buffers()
        scan(bytes, into: &buffers)
        return buffers.pieces
    }

    /// Scratch arrays kept across messages, so scanning allocates nothing once they have grown.
    struct Buffers {
        var pieces: [Piece] = []
        var chunks: [Range<Int>] = []
    }

    /// Scans `bytes` into `buffers.pieces` (replacing what was there).
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, into buffers: inout Buffers) {
        var scanner = Scanner(bytes: bytes, pieces: buffers.pieces, chunks: buffers.chunks)
        buffers.pieces = []
        buffers.chunks = []
        scanner.pieces.removeAll(keepingCapacity: true)
        scanner.chunks.removeAll(keepingCapacity: true)
        scanner.run()
        buffers.pieces = scanner.pieces
        buffers.chunks = scanner.chunks
    }

    /// `pieces` as tokens with the separators between them, plus the text after the last.
    static func render(_ pieces: [Piece], in bytes: UnsafeBufferPointer<UInt8>) -> (tokens: [Token], trailer: String) {
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        var tokens: [Token] = []
        tokens.reserveCapacity(pieces.count)
        var end = 0
        for piece in pieces {
            tokens.append(Token(text: piece.variable ? nil : text(piece.range), lead: text(end..<piece.range.lowerBound)))
            end = piece.range.upperBound
        }
        return (tokens, text(end..<bytes.count))
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var pieces: [Piece]
        var chunks: [Range<Int>]

        mutating func emit(_ range: Range<Int>, variable: Bool) {
            if variable, let last = pieces.last, last.variable {
                pieces[pieces.count - 1].range = last.range.lowerBound..<range.upperBound
                return
            }
            pieces.append(Piece(range: range, variable: variable))
        }

        mutating func run() {
            var index = 0
            let count = bytes.count
            while index < count {
                while index < count, Bytes.isSpace(bytes[index]) { index += 1 }
                let start = index
                while index < count, !Bytes.isSpace(bytes[index]) { index += 1 }
                if start < index { chunks.append(start..<index) }
            }
            var chunkIndex = 0
            while chunkIndex < chunks.count {
                let chunk = chunks[chunkIndex]
                chunkIndex += 1
                // Most chunks are plain words: no rule below can make one a variable or split it.
                if chunk.allSatisfy({ Bytes.isLetter(bytes[$0]) || bytes[$0] == UInt8(ascii: "_") }) {
                    emit(chunk, variable: false)
                    continue
                }
                let core = stripped(chunk)
                if core.isEmpty { continue }
                if isWholeValue(core) {
                    emit(core, variable: true)
                    continue
                }
                switch numberShape(core) {
                case .withUnit:
                    emit(core, variable: true)
                    continue
                case .bare:
                    // A unit in the next chunk belongs to this number: `12 ms`, `0 bytes`.
                    if chunkIndex < chunks.count {
                        let next = chunks[chunkIndex]
                        var end = next.upperBound
                        while end > next.lowerBound, Bytes.isUnitTrailer(bytes[end - 1]) { end -= 1 }
                        if Bytes.isUnit(UnsafeBufferPointer(rebasing: bytes[next.lowerBound..<end])) {
                            emit(core.lowerBound..<end, variable: true)
                            chunkIndex += 1
                            continue
                        }
                    }
                    emit(core, variable: true)
                    continue
                case .none:
                    splitPieces(chunk)
                }
            }
        }

        /// `range` without the brackets, quotes, commas and semicolons around it.
        func stripped(_ range: Range<Int>) -> Range<Int> {
            var lower = range.lowerBound
            var upper = range.upperBound
            while lower < upper, Bytes.isWrapper(bytes[lower]) { lower += 1 }
            while upper > lower, Bytes.isWrapper(bytes[upper - 1]) { upper -= 1 }
            return lower..<upper
        }

        mutating func splitPieces(_ chunk: Range<Int>) {
            var index = chunk.lowerBound
            while index < chunk.upperBound {
                while index < chunk.upperBound, Bytes.isPieceSeparator(bytes[index]) { index += 1 }
                let start = index
                while index < chunk.upperBound, !Bytes.isPieceSeparator(bytes[index]) { index += 1 }
                var end = index
                while end > start, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
                guard start < end else { continue }
                emit(start..<end, variable: isVariablePiece(start..<end))
            }
        }

        func isVariablePiece(_ range: Range<Int>) -> Bool {
            let first = bytes[range.lowerBound]
            let last = bytes[range.upperBound - 1]
            if range.count >= 2, first == UInt8(ascii: "'"), last == UInt8(ascii: "'") { return true }
            var digits = 0
            var slash = false
            for index in range {
                let byte = bytes[index]
                if Bytes.isDigit(byte) { digits += 1 } else if byte == UInt8(ascii: "/") { slash = true }
            }
            if slash, range.count > 1 { return true }
            guard digits > 0 else { return false }
            // A word ending in one digit (`SOCKS5`, `eth0`, `utf8`) names a thing; it is not a value.
            if digits == 1, Bytes.isDigit(last), range.count > 1 {
                return !range.dropLast().allSatisfy { Bytes.isLetter(bytes[$0]) }
            }
            return true
        }

        // MARK: Whole-chunk values

        func isWholeValue(_ range: Range<Int>) -> Bool {
            isPath(range) || isIPAddress(range) || isHostPort(range) || isDottedName(range) || isUUID(range) || isMAC(range)
        }

        /// `/a/b`, `~/a`, `./a`, `../a`, `scheme://...`.
        func isPath(_ range: Range<Int>) -> Bool {
            var hasSlash = false
            var schemeSeparator = false
            var index = range.lowerBound
            while index < range.upperBound {
                if bytes[index] == UInt8(ascii: "/") {
                    hasSlash = true
                    if index >= range.lowerBound + 1, bytes[index - 1] == UInt8(ascii: ":"),
                       index + 1 < range.upperBound, bytes[index + 1] == UInt8(ascii: "/") { schemeSeparator = true }
                }
                index += 1
            }
            guard hasSlash else { return false }
            let first = bytes[range.lowerBound]
            return schemeSeparator || first == UInt8(ascii: "/") || first == UInt8(ascii: "~") || first == UInt8(ascii: ".")
        }

        /// Four dotted decimal groups of at most three digits, optionally `:port`.
        func isIPAddress(_ range: Range<Int>) -> Bool {
            var groups = 1
            var groupLength = 0
            for index in range {
                let byte = bytes[index]
                if byte == UInt8(ascii: ":") { break }
                if byte == UInt8(ascii: ".") {
                    guard groupLength > 0 else { return false }
                    groups += 1
                    groupLength = 0
                } else if Bytes.isDigit(byte) {
                    groupLength += 1
                    if groupLength > 3 { return false }
                } else {
                    return false
                }
            }
            return groups == 4 && groupLength > 0
        }

        /// `name:1234` where the name is letters, digits, `.`, `-`, `_`.
        func isHostPort(_ range: Range<Int>) -> Bool {
            guard let colon = range.last(where: { bytes[$0] == UInt8(ascii: ":") }),
                  colon > range.lowerBound, colon + 1 < range.upperBound else { return false }
            guard (colon + 1..<range.upperBound).allSatisfy({ Bytes.isDigit(bytes[$0]) }) else { return false }
            return (range.lowerBound..<colon).allSatisfy { Bytes.isHostByte(bytes[$0]) }
        }

        /// Three or more dot-separated labels, the last alphabetic: `proxy.example.com`.
        func isDottedName(_ range: Range<Int>) -> Bool {
            guard range.count >= 5, range.contains(where: { bytes[$0] == UInt8(ascii: ".") }) else { return false }
            var labels = 0
            var labelStart = range.lowerBound
            var index = range.lowerBound
            while index <= range.upperBound {
                if index == range.upperBound || bytes[index] == UInt8(ascii: ".") {
                    guard index > labelStart else { return false }
                    labels += 1
                    if index == range.upperBound {
                        let label = labelStart..<index
                        return labels >= 3 && label.count >= 2 && label.allSatisfy { Bytes.isLetter(bytes[$0]) }
                    }
                    labelStart = index + 1
                } else if !(Bytes.isLetter(bytes[index]) || Bytes.isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "-")) {
                    return false
                }
                index += 1
            }
            return false
        }

        /// `8-4-4-4-12` hex digits.
        func isUUID(_ range: Range<Int>) -> Bool {
            guard range.count == 36 else { return false }
            for (offset, index) in range.enumerated() {
                let dash = offset == 8 || offset == 13 || offset == 18 || offset == 23
                if dash ? bytes[index] != UInt8(ascii: "-") : !Bytes.isHex(bytes[index]) { return false }
            }
            return true
        }

        /// Six or more pairs of hex digits joined by `:` or `-`.
        func isMAC(_ range: Range<Int>) -> Bool {
            guard range.count >= 17, (range.count + 1) % 3 == 0 else { return false }
            let separator = bytes[range.lowerBound + 2]
            guard separator == UInt8(ascii: ":") || separator == UInt8(ascii: "-") else { return false }
            for (offset, index) in range.enumerated() {
                if offset % 3 == 2 ? bytes[index] != separator : !Bytes.isHex(bytes[index]) { return false }
            }
            return true
        }

        enum NumberShape { case none, bare, withUnit }

        /// `[<>~+-]?digits([.:]digits)*`, optionally followed directly by a unit (`10ms`, `5%`).
        func numberShape(_ range: Range<Int>) -> NumberShape {
            var index = range.lowerBound
            if Bytes.isSignLike(bytes[index]) { index += 1 }
            guard index < range.upperBound, Bytes.isDigit(bytes[index]) else { return .none }
            while index < range.upperBound {
                let byte = bytes[index]
                if Bytes.isDigit(byte) {
                    index += 1
                } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":"), index + 1 < range.upperBound, Bytes.isDigit(bytes[index + 1]) {
                    index += 1
                } else {
                    break
                }
            }
            if index == range.upperBound { return .bare }
            return Bytes.isUnit(UnsafeBufferPointer(rebasing: bytes[index..<range.upperBound])) ? .withUnit : .none
        }
    }
}

/// Byte classes the tokenizer uses (ASCII; other bytes are ordinary text).
enum Bytes {
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
    static func isHostByte(_ b: UInt8) -> Bool { isLetter(b) || isDigit(b) || b == 0x2E || b == 0x2D || b == 0x5F }
    static func isSignLike(_ b: UInt8) -> Bool { b == 0x3C || b == 0x3E || b == 0x7E || b == 0x2B || b == 0x2D }

    /// `[](){}<>"',;` — what may wrap a value without being part of it.
    static func isWrapper(_ b: UInt8) -> Bool {
        switch b {
        case 0x5B, 0x5D, 0x28, 0x29, 0x7B, 0x7D, 0x3C, 0x3E, 0x22, 0x27, 0x2C, 0x3B: true
        default: false
        }
    }

    /// `=:,()[]{}<>|;"` — where a chunk is cut into pieces.
    static func isPieceSeparator(_ b: UInt8) -> Bool {
        switch b {
        case 0x3D, 0x3A, 0x2C, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x3C, 0x3E, 0x7C, 0x3B, 0x22: true
        default: false
        }
    }

    /// What may follow a unit word in its chunk: `ms,` `KB)` `sec.`
    static func isUnitTrailer(_ b: UInt8) -> Bool { b == 0x2C || b == 0x3B || b == 0x2E || b == 0x29 || b == 0x5D }

    /// Units of size, time and proportion (case-insensitive).
    private static let units: Set<String> = [
        "b", "kb", "mb", "gb", "tb", "pb", "kib", "mib", "gib", "tib", "byte", "bytes",
        "ms", "us", "ns", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes",
        "h", "hour", "hours", "day", "days", "%",
    ]

    static func isUnit(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 7 else { return false }
        return units.contains(String(decoding: bytes, as: UTF8.self).lowercased())
    }
}
