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
    /// The recognition model's P(pattern | error block), when a model rated this match.
    public var score: Double?
    /// The block's words that weigh most for the pattern against none, when a model rated this match.
    public var why: [String]?

    public init(patternID: String, lineNumber: Int, line: String, captures: [String: String] = [:], score: Double? = nil,
                why: [String]? = nil) {
        self.patternID = patternID
        self.lineNumber = lineNumber
        self.line = line
        self.captures = captures
        self.score = score
        self.why = why
    }

    enum CodingKeys: String, CodingKey {
        case patternID = "pattern_id", lineNumber = "line_number", line, captures, score, why
    }
}

/// Finds failure patterns in log text: a signature matches one line (or its JSON-unescaped text),
/// and the error block around it (up to ``blockRadius`` lines either side) decides whether the
/// match stands: a pattern's `exclusions` found in the block veto it (a near miss). With the
/// knowledge base's recognition model, each match also carries the model's score for its block
/// and the words behind it (``RecognitionModel``).
///
/// Speed comes from the prefilter: every literal is found in one pass over a whole chunk
/// (``LiteralScanner``), and a regex runs only on the few lines that contain a literal. A
/// pattern with a case-insensitive (`(?i)`) signature has its literals (of five characters or
/// more) matched case-insensitively, so such a signature is never skipped by a prefilter that
/// expected other letter cases.
public struct SignatureMatcher: Sendable {
    /// NSRegularExpression is immutable after creation and documented as safe to share across threads.
    struct CompiledSignature: @unchecked Sendable {
        let regex: NSRegularExpression
        let groupNames: [String]
    }

    struct CompiledPattern: Sendable {
        let id: String
        let signatures: [CompiledSignature]
        /// Regexes that, found in the block around a match, veto it.
        let exclusions: [CompiledSignature]
        /// Indexes into `literals`.
        let literalIndexes: [Int]
    }

    /// Literals shorter than this are folded only when written `(?i)literal`.
    static let shortestFoldedLiteral = 5

    /// Lines either side of a matched line that make up its error block.
    public static let blockRadius = 20

    let patterns: [CompiledPattern]
    let scanner: LiteralScanner
    let model: RecognitionModel?

    /// The knowledge base's patterns, rated by `model` when one is given.
    public init(knowledgeBase: KnowledgeBase, model: RecognitionModel? = nil) throws {
        try self.init(patterns: knowledgeBase.patterns, model: model)
    }

    /// Compiles every pattern; a bad regex names its pattern. With a `model`, each match is rated
    /// on its error block (``RecognitionModel/rate(_:pattern:explaining:)``).
    public init(patterns: [FailurePattern], model: RecognitionModel? = nil) throws {
        self.model = model
        var literals: [[UInt8]] = []
        var foldsCase: [Bool] = []
        var compiled: [CompiledPattern] = []
        for pattern in patterns {
            try KnowledgeBaseParser.validateRegexes(pattern, file: "knowledge base")
            let patternFolds = pattern.signatures.contains { $0.hasPrefix("(?i") }
            var indexes: [Int] = []
            for literal in pattern.prefilter where !literal.isEmpty {
                let text = literal.hasPrefix("(?i)") ? String(literal.dropFirst(4)) : literal
                // Folding a short literal ("KEY", "DSN") would make it hit ordinary words on many
                // lines and run the regexes there; such a literal stays as written unless marked.
                let folds = literal.hasPrefix("(?i)") || (patternFolds && text.count >= Self.shortestFoldedLiteral)
                guard !text.isEmpty else { continue }
                let bytes = Array((folds ? text.lowercased() : text).utf8)
                if let existing = literals.indices.first(where: { literals[$0] == bytes && foldsCase[$0] == folds }) {
                    indexes.append(existing)
                } else {
                    literals.append(bytes)
                    foldsCase.append(folds)
                    indexes.append(literals.count - 1)
                }
            }
            let compile = { (signature: String) in
                CompiledSignature(regex: try NSRegularExpression(pattern: signature), groupNames: Self.groupNames(in: signature))
            }
            compiled.append(CompiledPattern(id: pattern.id, signatures: try pattern.signatures.map(compile),
                                            exclusions: try pattern.exclusions.map(compile), literalIndexes: indexes))
        }
        self.patterns = compiled
        self.scanner = LiteralScanner(literals: literals, caseInsensitive: foldsCase)
    }

    /// Matches in a whole text (small inputs: a finding's evidence, a test corpus).
    public func matches(in text: String) -> [SignatureMatch] {
        var bytes = Array(text.utf8)
        if bytes.last != 0x0A { bytes.append(0x0A) }
        return bytes.withUnsafeBytes { matches(inLines: $0, firstLineNumber: 1).matches }
    }


    /// Matches in `chunk`, which holds complete lines (it ends with a newline or at the end of input).
    /// Returns the matches and the number of lines in the chunk. With a model, `rates(pattern, n)`
    /// says whether to rate a pattern's next match when `n` of its matches in this chunk were
    /// rated already: a caller that keeps only the first few as evidence rates only those (rating
    /// costs a pass over the block; a huge log may hold thousands of matches).
    public func matches(inLines chunk: UnsafeRawBufferPointer, firstLineNumber: Int,
                        rates: (String, Int) -> Bool = { _, _ in true }) -> (matches: [SignatureMatch], lines: Int) {
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
        var rated: [String: Int] = [:]
        var counted = 0
        var lineNumber = firstLineNumber
        for start in candidates.keys.sorted() {
            lineNumber += Self.newlines(in: chunk, from: counted, to: start)
            counted = start
            let end = Self.lineEnd(after: start, in: chunk)
            let seen = candidates[start]!
            let line = String(decoding: UnsafeRawBufferPointer(rebasing: chunk[start..<end]), as: UTF8.self)
            var block: String?
            for pattern in patterns where pattern.literalIndexes.contains(where: seen.contains) {
                guard var match = Self.firstMatch(of: pattern, in: line, lineNumber: lineNumber) else { continue }
                if !pattern.exclusions.isEmpty {
                    if block == nil { block = Self.block(around: start, end: end, in: chunk) }
                    let range = NSRange(block!.startIndex..., in: block!)
                    if pattern.exclusions.contains(where: { $0.regex.firstMatch(in: block!, range: range) != nil }) { continue }
                }
                if let model, rates(pattern.id, rated[pattern.id, default: 0]) {
                    rated[pattern.id, default: 0] += 1
                    if block == nil { block = Self.block(around: start, end: end, in: chunk) }
                    let rating = model.rate(block!, pattern: pattern.id)
                    match.score = rating.score
                    match.why = rating.why
                }
                matches.append(match)
            }
        }
        let total = lineNumber - firstLineNumber + Self.newlines(in: chunk, from: counted, to: chunk.count)
            + (chunk.last == 0x0A ? 0 : 1)
        return (matches, total)
    }

    private static func firstMatch(of pattern: CompiledPattern, in line: String, lineNumber: Int) -> SignatureMatch? {
        if let match = firstMatch(of: pattern, in: line, text: line, lineNumber: lineNumber) { return match }
        // A log line that carries an error as a JSON string (`\"`, `\n` escapes) is matched unescaped too.
        guard line.contains("\\\"") || line.contains("\\n") else { return nil }
        return firstMatch(of: pattern, in: line, text: unescaped(line), lineNumber: lineNumber)
    }

    private static func firstMatch(of pattern: CompiledPattern, in line: String, text: String, lineNumber: Int) -> SignatureMatch? {
        let range = NSRange(text.startIndex..., in: text)
        for signature in pattern.signatures {
            guard let result = signature.regex.firstMatch(in: text, range: range) else { continue }
            var captures: [String: String] = [:]
            for name in signature.groupNames {
                let groupRange = result.range(withName: name)
                if groupRange.location != NSNotFound, let swiftRange = Range(groupRange, in: text) {
                    captures[name] = String(text[swiftRange])
                }
            }
            return SignatureMatch(patternID: pattern.id, lineNumber: lineNumber, line: String(line.prefix(1000)), captures: captures)
        }
        return nil
    }

    /// The JSON string escapes `\\"`, `\\n`, `\\t` and `\\\\` undone.
    static func unescaped(_ line: String) -> String {
        var result = ""
        var escaping = false
        for character in line {
            if escaping {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "\"", "\\", "/": result.append(character)
                default: result.append("\\"); result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        if escaping { result.append("\\") }
        return result
    }

    /// The lines around `start..<end` (up to ``blockRadius`` either side, within the chunk).
    static func block(around start: Int, end: Int, in chunk: UnsafeRawBufferPointer) -> String {
        var first = start
        var lines = 0
        while first > 0 && lines <= blockRadius {
            first -= 1
            if chunk[first] == 0x0A { lines += 1 }
        }
        if first > 0 || (first == 0 && chunk[0] == 0x0A) { first += 1 }
        var last = end
        lines = 0
        while last < chunk.count && lines < blockRadius {
            if chunk[last] == 0x0A { lines += 1 }
            last += 1
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: chunk[first..<last]), as: UTF8.self)
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
