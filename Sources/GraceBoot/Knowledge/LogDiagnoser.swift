import Foundation
import GraceCore

/// Streams a log of any size through the signature matcher, in large chunks.
public struct LogDiagnoser: Sendable {
    /// What one pattern matched.
    public struct PatternHits: Sendable, Equatable, Codable {
        public var patternID: String
        public var count: Int
        /// The first matches, as evidence.
        public var evidence: [SignatureMatch]

        enum CodingKeys: String, CodingKey { case patternID = "pattern_id", count, evidence }
    }

    public struct Result: Sendable, Equatable, Codable {
        public var lines: Int
        public var bytes: Int
        public var hits: [PatternHits]
    }

    let matcher: SignatureMatcher
    let chunkSize: Int
    let evidenceLimit: Int

    public init(matcher: SignatureMatcher, chunkSize: Int = 8 << 20, evidenceLimit: Int = 5) {
        self.matcher = matcher
        self.chunkSize = chunkSize
        self.evidenceLimit = evidenceLimit
    }

    /// Reads `descriptor` to its end (a file or standard input).
    public func diagnose(descriptor: Int32) throws -> Result {
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var carried = 0  // bytes of an unfinished line kept at the start of the buffer
        var lineNumber = 1
        var bytes = 0
        var hits = Tally(evidenceLimit: evidenceLimit)

        func consume(_ count: Int) {
            buffer.withUnsafeBytes { raw in
                // Only evidence is shown with its score: rate a pattern's matches while its evidence has room.
                let chunk = matcher.matches(inLines: UnsafeRawBufferPointer(rebasing: raw[0..<count]), firstLineNumber: lineNumber) { id, rated in
                    (hits.hits[id]?.evidence.count ?? 0) + rated < evidenceLimit
                }
                lineNumber += chunk.lines
                chunk.matches.forEach { hits.add($0) }
            }
        }

        while true {
            if carried == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }  // a giant line
            let read = buffer.withUnsafeMutableBytes { raw in Foundation.read(descriptor, raw.baseAddress! + carried, raw.count - carried) }
            if read < 0 {
                if errno == EINTR { continue }
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
            if read == 0 {
                if carried > 0 { consume(carried) }
                break
            }
            bytes += read
            let filled = carried + read
            guard let lastNewline = buffer[..<filled].lastIndex(of: 0x0A) else {
                carried = filled
                continue
            }
            consume(lastNewline + 1)
            carried = filled - (lastNewline + 1)
            if carried > 0 { buffer.withUnsafeMutableBytes { raw in _ = memmove(raw.baseAddress!, raw.baseAddress! + lastNewline + 1, carried) } }
        }
        return Result(lines: lineNumber - 1, bytes: bytes, hits: hits.ordered)
    }

    /// Matches counted per pattern, in the order patterns first matched, with the first few as evidence.
    struct Tally {
        let evidenceLimit: Int
        var hits: [String: PatternHits] = [:]
        var order: [String] = []

        mutating func add(_ match: SignatureMatch) {
            if hits[match.patternID] == nil {
                hits[match.patternID] = PatternHits(patternID: match.patternID, count: 0, evidence: [])
                order.append(match.patternID)
            }
            hits[match.patternID]!.count += 1
            if hits[match.patternID]!.evidence.count < evidenceLimit { hits[match.patternID]!.evidence.append(match) }
        }

        var ordered: [PatternHits] { order.map { hits[$0]! } }
    }

    /// Diagnoses a file by path.
    public func diagnose(path: String) throws -> Result {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "cannot open \(path): \(String(cString: strerror(errno)))"])
        }
        defer { close(descriptor) }
        return try diagnose(descriptor: descriptor)
    }
}
