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
    let parallelism: Int

    /// - Parameters:
    ///   - chunkSize: bytes each core matches at a time (a line longer than this grows the buffer).
    ///   - parallelism: how many slices of the input are matched at once, one per core by default.
    ///     Matching is CPU-bound and each slice holds whole lines, so slices are independent; their
    ///     results are merged in input order, so the result does not depend on this number.
    public init(matcher: SignatureMatcher, chunkSize: Int = 8 << 20, evidenceLimit: Int = 5,
                parallelism: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.matcher = matcher
        self.chunkSize = chunkSize
        self.evidenceLimit = evidenceLimit
        self.parallelism = max(1, parallelism)
    }

    /// Reads `descriptor` to its end (a file or standard input).
    public func diagnose(descriptor: Int32) throws -> Result {
        var buffer = [UInt8](repeating: 0, count: chunkSize * parallelism)
        var carried = 0  // bytes of an unfinished line kept at the start of the buffer
        var lineNumber = 1
        var bytes = 0
        var hits = Tally(evidenceLimit: evidenceLimit)
        var ended = false

        while !ended {
            if carried == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }  // a giant line
            // Fill the buffer (a pipe returns little at a time), so every slice has its share.
            var filled = carried
            while filled < buffer.count {
                let read = buffer.withUnsafeMutableBytes { raw in Foundation.read(descriptor, raw.baseAddress! + filled, raw.count - filled) }
                if read < 0 {
                    if errno == EINTR { continue }
                    throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
                }
                if read == 0 {
                    ended = true
                    break
                }
                bytes += read
                filled += read
            }
            let complete = ended ? filled : (buffer[..<filled].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0)
            if complete > 0 {
                let slices = buffer.withUnsafeBytes { raw in match(UnsafeRawBufferPointer(rebasing: raw[0..<complete]), hits: hits) }
                for slice in slices {
                    for var match in slice.matches {
                        match.lineNumber += lineNumber - 1
                        hits.add(match)
                    }
                    lineNumber += slice.lines
                }
            }
            carried = filled - complete
            if carried > 0 && complete > 0 {
                buffer.withUnsafeMutableBytes { raw in _ = memmove(raw.baseAddress!, raw.baseAddress! + complete, carried) }
            }
        }
        return Result(lines: lineNumber - 1, bytes: bytes, hits: hits.ordered)
    }

    /// Matches `lines` (whole lines) in up to ``parallelism`` slices at once, each cut at a line
    /// end (``LineSlices``); line numbers in each slice's matches start at 1.
    private func match(_ lines: UnsafeRawBufferPointer, hits: Tally) -> [(matches: [SignatureMatch], lines: Int)] {
        let cuts = LineSlices.cuts(lines, parts: parallelism)
        // Only evidence is shown with its score: each slice rates a pattern's matches while the
        // evidence so far leaves room (so a few more than the evidence may be rated, never thousands).
        let rates = { (id: String, rated: Int) in (hits.hits[id]?.evidence.count ?? 0) + rated < evidenceLimit }
        let matcher = matcher
        return ParallelMap.map(cuts.count - 1) { index in
            matcher.matches(inLines: UnsafeRawBufferPointer(rebasing: lines[cuts[index]..<cuts[index + 1]]), firstLineNumber: 1, rates: rates)
        }
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
