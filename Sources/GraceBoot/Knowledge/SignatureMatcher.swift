import Foundation
import GraceCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line that matched a failure pattern.
public struct SignatureMatch: Sendable, Equatable, Codable {
    public var patternID: String
    /// 1-based line number in the scanned text.
    public var lineNumber: Int
    /// The matching line (cut to 1,000 characters).
    public var line: String
    /// Named groups of the signature (`variable`, `table`, `column`, `module`, ...).
    public var captures: [String: String]

    public init(patternID: String, lineNumber: Int, line: String, captures: [String: String] = [:]) {
        self.patternID = patternID
        self.lineNumber = lineNumber
        self.line = line
        self.captures = captures
    }

    enum CodingKeys: String, CodingKey {
        case patternID = "pattern_id", lineNumber = "line_number", line, captures
    }
}

/// Finds failure patterns in log text, line by line.
///
/// Speed comes from the prefilter: every literal is found in one pass over a whole chunk
/// (``LiteralScanner``), and a regex runs only on the few lines that contain a literal.
public struct SignatureMatcher: Sendable {
    /// NSRegularExpression is immutable after creation and documented as safe to share across threads.
    struct CompiledSignature: @unchecked Sendable {
        let regex: NSRegularExpression
        let groupNames: [String]
    }

    struct CompiledPattern: Sendable {
        let id: String
        let signatures: [CompiledSignature]
        /// Indexes into `literals`.
        let literalIndexes: [Int]
    }

    let patterns: [CompiledPattern]
    let scanner: LiteralScanner

    /// Compiles every pattern; a bad regex names its pattern.
    public init(patterns: [FailurePattern]) throws {
        var literals: [[UInt8]] = []
        var compiled: [CompiledPattern] = []
        for pattern in patterns {
            try KnowledgeBaseParser.validateRegexes(pattern, file: "knowledge base")
            var indexes: [Int] = []
            for literal in pattern.prefilter where !literal.isEmpty {
                let bytes = Array(literal.utf8)
                if let existing = literals.firstIndex(of: bytes) {
                    indexes.append(existing)
                } else {
                    literals.append(bytes)
                    indexes.append(literals.count - 1)
                }
            }
            let signatures = try pattern.signatures.map { signature in
                CompiledSignature(regex: try NSRegularExpression(pattern: signature), groupNames: Self.groupNames(in: signature))
            }
            compiled.append(CompiledPattern(id: pattern.id, signatures: signatures, literalIndexes: indexes))
        }
        self.patterns = compiled
        self.scanner = LiteralScanner(literals: literals)
    }

    /// Matches in a whole text (small inputs: a finding's evidence, a test corpus).
    public func matches(in text: String) -> [SignatureMatch] {
        var bytes = Array(text.utf8)
        if bytes.last != 0x0A { bytes.append(0x0A) }
        return bytes.withUnsafeBytes { matches(inLines: $0, firstLineNumber: 1).matches }
    }

    /// Matches in `chunk`, which holds complete lines (it ends with a newline or at the end of input).
    /// Returns the matches and the number of lines in the chunk.
    public func matches(inLines chunk: UnsafeRawBufferPointer, firstLineNumber: Int) -> (matches: [SignatureMatch], lines: Int) {
        guard chunk.baseAddress != nil, chunk.count > 0 else { return ([], 0) }
        // 1. Prefilter: every hit of every literal gives a candidate line and the literal seen there.
        var candidates: [Int: Set<Int>] = [:]  // line start offset -> literal indexes
        var lastLine = (start: -1, end: -1)
        scanner.scan(chunk) { literalIndex, hit in
            if hit < lastLine.start || hit >= lastLine.end {
                lastLine = (Self.lineStart(before: hit, in: chunk), Self.lineEnd(after: hit, in: chunk))
            }
            candidates[lastLine.start, default: []].insert(literalIndex)
        }
        // 2. Line numbers: count newlines between candidate lines, and to the end for the total.
        var matches: [SignatureMatch] = []
        var counted = 0
        var lineNumber = firstLineNumber
        for start in candidates.keys.sorted() {
            lineNumber += Self.newlines(in: chunk, from: counted, to: start)
            counted = start
            let end = Self.lineEnd(after: start, in: chunk)
            let seen = candidates[start]!
            let line = String(decoding: UnsafeRawBufferPointer(rebasing: chunk[start..<end]), as: UTF8.self)
            for pattern in patterns where pattern.literalIndexes.contains(where: seen.contains) {
                if let match = Self.firstMatch(of: pattern, in: line, lineNumber: lineNumber) { matches.append(match) }
            }
        }
        let total = lineNumber - firstLineNumber + Self.newlines(in: chunk, from: counted, to: chunk.count)
            + (chunk.last == 0x0A ? 0 : 1)
        return (matches, total)
    }

    private static func firstMatch(of pattern: CompiledPattern, in line: String, lineNumber: Int) -> SignatureMatch? {
        let range = NSRange(line.startIndex..., in: line)
        for signature in pattern.signatures {
            guard let result = signature.regex.firstMatch(in: line, range: range) else { continue }
            var captures: [String: String] = [:]
            for name in signature.groupNames {
                let groupRange = result.range(withName: name)
                if groupRange.location != NSNotFound, let swiftRange = Range(groupRange, in: line) {
                    captures[name] = String(line[swiftRange])
                }
            }
            return SignatureMatch(patternID: pattern.id, lineNumber: lineNumber, line: String(line.prefix(1000)), captures: captures)
        }
        return nil
    }

    /// Names of `(?<name>...)` groups.
    static func groupNames(in signature: String) -> [String] {
        var names: [String] = []
        var rest = Substring(signature)
        while let open = rest.range(of: "(?<") {
            let after = rest[open.upperBound...]
            guard let first = after.first, first != "=", first != "!" else { rest = after; continue }
            let name = after.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !name.isEmpty { names.append(String(name)) }
            rest = after
        }
        return names
    }

    private static func lineStart(before offset: Int, in chunk: UnsafeRawBufferPointer) -> Int {
        var index = offset
        while index > 0 && chunk[index - 1] != 0x0A { index -= 1 }
        return index
    }

    private static func lineEnd(after offset: Int, in chunk: UnsafeRawBufferPointer) -> Int {
        guard offset < chunk.count, let found = memchr(chunk.baseAddress! + offset, 0x0A, chunk.count - offset) else { return chunk.count }
        return chunk.baseAddress!.distance(to: UnsafeRawPointer(found))
    }

    private static func newlines(in chunk: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int {
        var count = 0
        var offset = start
        while offset < end, let found = memchr(chunk.baseAddress! + offset, 0x0A, end - offset) {
            count += 1
            offset = chunk.baseAddress!.distance(to: UnsafeRawPointer(found)) + 1
        }
        return count
    }
}
