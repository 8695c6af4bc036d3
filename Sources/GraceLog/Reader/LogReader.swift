#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GraceCore

/// Reads JSON-lines log files and hands back the lines matching a ``LogFilter``, fast.
///
/// Files are read in large chunks. When the filter names a literal that every matching line
/// must contain (a field value, the `--grep` text, one of a few levels), the chunk is searched
/// for it with `memmem` and only the lines holding it are validated and checked; other lines are
/// never parsed. Candidates get a strict JSON validation of the whole line and a top-level key
/// lookup, so nested or quoted look-alikes, escapes, whitespace and key order cannot fool a filter.
/// Lines that are not a JSON object are skipped and counted in ``LogScanStats/malformed``.
public struct LogReader: Sendable {
    /// Files read in this order.
    public let paths: [String]
    /// Bytes read per `read(2)`; lines longer than this grow the buffer.
    var chunkSize = 8 << 20
    /// Map regular files instead of reading them (tests turn it off to exercise the read path).
    var mapsFiles = true
    /// Cores a large file is matched on (tests compare one with several).
    var parallelism = ProcessInfo.processInfo.activeProcessorCount

    /// The rotated files of a log, oldest first: grace.jsonl.N ... grace.jsonl.1, grace.jsonl (missing ones skipped).
    public static func files(forLog path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let rotated = names.compactMap { entry -> Int? in
            guard entry.hasPrefix(name + "."), let index = Int(entry.dropFirst(name.count + 1)), index > 0,
                  String(index) == entry.dropFirst(name.count + 1) else { return nil }
            return index
        }
        var files = rotated.sorted(by: >).map { "\(path).\($0)" }
        if FileManager.default.fileExists(atPath: path) { files.append(path) }
        return files
    }

    public init(paths: [String]) {
        self.paths = paths
    }

    /// Calls `body` with each matching line (raw bytes of the line, without the newline) in file order; `body` returns false to stop.
    @discardableResult
    public func scan(_ filter: LogFilter, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws -> LogScanStats {
        try scanFields(filter) { line, count, _ in try body(UnsafeRawBufferPointer(start: line, count: count)) }
    }

    /// How many lines match.
    public func count(_ filter: LogFilter) throws -> Int {
        try scan(filter) { _ in true }.matched
    }

    /// Decoded matching lines (for small result sets: API run logs, correlate), at most `limit`
    /// of them, the first ones in file order.
    public func entries(_ filter: LogFilter, limit: Int) throws -> [LogEntry] {
        var entries: [LogEntry] = []
        guard limit > 0 else { return entries }
        try scanFields(filter) { line, count, fields in
            entries.append(LogEntry(fields: fields, base: line, count: count))
            return entries.count < limit
        }
        return entries
    }

    /// The last `limit` matching lines, oldest first.
    public func lastEntries(_ filter: LogFilter, limit: Int) throws -> [LogEntry] {
        try Self.last(limit) { body in try scanFields(filter, body) }
    }

    /// How many of `lines` (whole log lines, each ending in a newline: what ``RunLogIndex`` hands
    /// back) match: the same matching as a scan of files.
    public static func count(_ filter: LogFilter, inLines lines: [UInt8]) throws -> Int {
        try scanFields(filter, inLines: lines) { _, _, _ in true }.matched
    }

    /// The last `limit` of `lines` that match, oldest first.
    public static func lastEntries(_ filter: LogFilter, limit: Int, inLines lines: [UInt8]) throws -> [LogEntry] {
        try last(limit) { body in try scanFields(filter, inLines: lines, body) }
    }

    /// Up to `limit` of `lines` that match, after skipping the first `offset` matches: paging from the first line.
    public static func entries(_ filter: LogFilter, offset: Int, limit: Int, inLines lines: [UInt8]) throws -> [LogEntry] {
        var entries: [LogEntry] = []
        guard limit > 0 else { return entries }
        var skipped = 0
        try scanFields(filter, inLines: lines) { line, count, fields in
            guard skipped >= offset else { skipped += 1; return true }
            entries.append(LogEntry(fields: fields, base: line, count: count))
            return entries.count < limit
        }
        return entries
    }

    @discardableResult
    static func scanFields(_ filter: LogFilter, inLines lines: [UInt8],
                           _ body: (UnsafePointer<UInt8>, Int, LineFields) throws -> Bool) throws -> LogScanStats {
        var matcher = ChunkMatcher(filter: try CompiledFilter(filter))
        try lines.withUnsafeBufferPointer { bytes in
            if let base = bytes.baseAddress, bytes.count > 0 { _ = try matcher.process(base, count: bytes.count, body) }
        }
        return matcher.stats
    }

    /// The last `limit` lines a scan hands over, oldest first (a ring, so memory stays bounded).
    private static func last(_ limit: Int, _ scan: ((UnsafePointer<UInt8>, Int, LineFields) throws -> Bool) throws -> Void) throws -> [LogEntry] {
        var ring: [LogEntry] = []
        guard limit > 0 else { return ring }
        var next = 0
        try scan { line, count, fields in
            let entry = LogEntry(fields: fields, base: line, count: count)
            if ring.count < limit { ring.append(entry) } else { ring[next] = entry }
            next = (next + 1) % limit
            return true
        }
        return ring.count < limit ? ring : Array(ring[next...] + ring[..<next])
    }

    /// Like ``scan(_:_:)``, also handing over where the known top-level values are.
    @discardableResult
    func scanFields(_ filter: LogFilter,
                    _ body: (UnsafePointer<UInt8>, Int, LineFields) throws -> Bool) throws -> LogScanStats {
        let compiled = try CompiledFilter(filter)
        var matcher = ChunkMatcher(filter: compiled)
        matcher.parallelism = parallelism
        for path in paths {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw LogReaderError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
            defer { close(fd) }
            if try !scanFile(fd, path: path, &matcher, body) { break }
        }
        return matcher.stats
    }

    /// Maps a regular file and scans it in place (no copy); reads anything else (a pipe) in
    /// chunks. Returns false when `body` asked to stop.
    private func scanFile(_ fd: Int32, path: String, _ matcher: inout ChunkMatcher,
                          _ body: (UnsafePointer<UInt8>, Int, LineFields) throws -> Bool) throws -> Bool {
        var info = stat()
        if mapsFiles, fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
            let size = Int(info.st_size)
            if size == 0 { return true }
            #if canImport(Glibc)
            let flags = MAP_PRIVATE | MAP_POPULATE
            #else
            let flags = MAP_PRIVATE
            #endif
            if let mapped = mmap(nil, size, PROT_READ, flags, fd, 0), mapped != MAP_FAILED {
                defer { munmap(mapped, size) }
                _ = madvise(mapped, size, MADV_SEQUENTIAL)
                return try matcher.process(UnsafePointer(mapped.assumingMemoryBound(to: UInt8.self)), count: size, body)
            }
        }
        var assembler = LineAssembler(capacity: chunkSize)
        while true {
            let read = assembler.fill(from: fd)
            if read < 0 { throw LogReaderError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
            let atEnd = read == 0
            let region = assembler.completeLines(includingPartial: atEnd)
            if region.count > 0, try !matcher.process(region.base, count: region.count, body) { return false }
            assembler.consume(region.count)
            if atEnd { return true }
        }
    }
}

/// A read buffer that hands out whole lines and keeps a trailing partial line for the next read.
struct LineAssembler: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Bytes of `base` holding data.
    private(set) var filled = 0
    /// Bytes at the front already handed out.
    private var consumed = 0
    /// Bytes of `filled` known to contain no newline (avoids rescanning a long partial line).
    private var searchedWithoutNewline = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Reads once into the free space (moving the partial line to the front first, and growing
    /// when it fills the buffer). Returns the bytes read, 0 at end of file, -1 on error.
    mutating func fill(from fd: Int32) -> Int {
        if consumed > 0 {
            let remaining = filled - consumed
            if remaining > 0 { memmove(base, base + consumed, remaining) }
            filled = remaining
            searchedWithoutNewline = max(0, searchedWithoutNewline - consumed)
            consumed = 0
        }
        if filled == capacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: base, count: filled)
            base.deallocate()
            base = bigger
            capacity *= 2
        }
        while true {
            let count = read(fd, base + filled, capacity - filled)
            if count < 0 && errno == EINTR { continue }
            if count > 0 { filled += count }
            return count
        }
    }

    /// The unconsumed bytes up to and including the last newline (all of them when `includingPartial`).
    mutating func completeLines(includingPartial: Bool) -> (base: UnsafePointer<UInt8>, count: Int) {
        let start = base + consumed
        let available = filled - consumed
        if includingPartial { return (UnsafePointer(start), available) }
        let from = max(consumed, searchedWithoutNewline)
        let last = ByteSearch.lastIndex(of: 0x0A, in: base, from: from, end: filled)
        if last < 0 {
            searchedWithoutNewline = filled
            return (UnsafePointer(start), 0)
        }
        return (UnsafePointer(start), last + 1 - consumed)
    }

    mutating func consume(_ count: Int) {
        consumed += count
        if consumed == filled {
            consumed = 0
            filled = 0
            searchedWithoutNewline = 0
        }
    }

    /// Unconsumed bytes (a partial line after ``completeLines(includingPartial:)``).
    var pending: Int { filled - consumed }
}

/// Runs a compiled filter over regions of whole lines and keeps the statistics.
struct ChunkMatcher {
    let filter: CompiledFilter
    var stats = LogScanStats()
    /// How many slices of a large region are matched at once (one per core).
    var parallelism = ProcessInfo.processInfo.activeProcessorCount

    init(filter: CompiledFilter) {
        self.filter = filter
    }

    /// Each core's share of a large region in one batch; regions smaller than two
    /// ``LineSlices/smallestPart``s (a run's lines, a pipe's chunk) are matched on the calling thread.
    static let parallelSlice = 4 << 20

    /// Processes `region[0..<count]`, which ends at a line end (or at the end of the data).
    /// Returns false when `body` asked to stop.
    mutating func process(_ region: UnsafePointer<UInt8>, count: Int,
                          _ body: (UnsafePointer<UInt8>, Int, LineFields) throws -> Bool) throws -> Bool {
        if parallelism > 1 && count >= 2 * LineSlices.smallestPart { return try processInParallel(region, count: count, body) }
        return try processSerially(region, count: count, body)
    }

    /// What one slice of a parallel pass found: its matching lines, kept until the slices before
    /// it have been handed over, so `body` still sees every line in order on the calling thread.
    private struct SliceResult {
        var stats = LogScanStats()
        var lines: [(offset: Int, count: Int, fields: LineFields)] = []
        var error: (any Error)?
    }

    /// Matching is CPU-bound and lines are independent, so a large region is cut at line ends
    /// into batches of one slice per core, matched at once; `body` is then called for each
    /// batch's lines in order, and an early stop wastes at most one batch.
    private mutating func processInParallel(_ region: UnsafePointer<UInt8>, count: Int,
                                            _ body: (UnsafePointer<UInt8>, Int, LineFields) throws -> Bool) throws -> Bool {
        var start = 0
        while start < count {
            // A batch of one slice per core, ending at a line end.
            let batchEnd = start + parallelism * Self.parallelSlice
            let newline = batchEnd >= count ? -1 : ByteSearch.index(of: 0x0A, in: region, from: batchEnd, count: count)
            let end = newline < 0 ? count : newline + 1
            let cuts = LineSlices.cuts(UnsafeRawBufferPointer(start: region + start, count: end - start), parts: parallelism)
                .map { start + $0 }
            let filter = filter
            let results = ParallelMap.map(cuts.count - 1) { index -> SliceResult in
                var matcher = ChunkMatcher(filter: filter)
                var result = SliceResult()
                do {
                    _ = try matcher.processSerially(region + cuts[index], count: cuts[index + 1] - cuts[index]) { line, length, fields in
                        result.lines.append((region.distance(to: line), length, fields))
                        return true
                    }
                } catch {
                    result.error = error
                }
                result.stats = matcher.stats
                return result
            }
            for slice in results {
                if let error = slice.error { throw error }
                stats.scanned += slice.stats.scanned
                stats.malformed += slice.stats.malformed
                for line in slice.lines {
                    stats.matched += 1
                    if try !body(region + line.offset, line.count, line.fields) { return false }
                }
            }
            start = end
        }
        return true
    }

    private mutating func processSerially(_ region: UnsafePointer<UInt8>, count: Int,
                                          _ body: (UnsafePointer<UInt8>, Int, LineFields) throws -> Bool) throws -> Bool {
        // Windows small enough to stay in cache across the passes (count, search, marker search).
        var start = 0
        while start < count {
            var end = count
            if count - start > Self.window {
                let newline = ByteSearch.lastIndex(of: 0x0A, in: region, from: start, end: start + Self.window)
                if newline >= 0 {
                    end = newline + 1
                } else {
                    let next = ByteSearch.index(of: 0x0A, in: region, from: start + Self.window, count: count)
                    end = next < 0 ? count : next + 1
                }
            }
            if try !processWindow(region + start, count: end - start, body) { return false }
            start = end
        }
        return true
    }

    static let window = 256 << 10

    private mutating func processWindow(_ region: UnsafePointer<UInt8>, count: Int,
                                        _ body: (UnsafePointer<UInt8>, Int, LineFields) throws -> Bool) throws -> Bool {
        let newlines = ByteSearch.countNewlines(region, count: count)
        stats.scanned += newlines + (region[count - 1] == 0x0A ? 0 : 1)
        if filter.anchors.isEmpty {
            var position = 0
            while position < count {
                var end = ByteSearch.index(of: 0x0A, in: region, from: position, count: count)
                if end < 0 { end = count }
                if try !evaluate(region + position, end - position, body) { return false }
                position = end + 1
            }
            return true
        }
        return try processAnchored(region, count: count, body)
    }

    private mutating func processAnchored(_ region: UnsafePointer<UInt8>, count: Int,
                                          _ body: (UnsafePointer<UInt8>, Int, LineFields) throws -> Bool) throws -> Bool {
        let anchors = filter.anchors
        // The next known occurrence of each anchor at or after `position` (-1: none left).
        var next = [Int](repeating: -2, count: anchors.count)
        var nextMarker = filter.anchorsNeedEscapeMarkers ? -2 : -1
        var position = 0
        while position < count {
            var candidate = Int.max
            for index in anchors.indices where next[index] != -1 {
                if next[index] < position {
                    next[index] = anchors[index].withUnsafeBufferPointer {
                        ByteSearch.find($0, in: region, from: position, count: count)
                    }
                }
                if next[index] >= 0 { candidate = min(candidate, next[index]) }
            }
            if nextMarker != -1 {
                if nextMarker < position { nextMarker = Self.findEscapeMarker(region, from: position, count: count) }
                if nextMarker >= 0 { candidate = min(candidate, nextMarker) }
            }
            if candidate == Int.max { break }
            let newlineBefore = ByteSearch.lastIndex(of: 0x0A, in: region, from: position, end: candidate)
            let start = newlineBefore < 0 ? position : newlineBefore + 1
            var end = ByteSearch.index(of: 0x0A, in: region, from: candidate, count: count)
            if end < 0 { end = count }
            if try !evaluate(region + start, end - start, body) { return false }
            position = end + 1
        }
        return true
    }

    /// The next `\u` or `\/` escape at or after `from`, or -1.
    @inline(__always)
    static func findEscapeMarker(_ region: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
        var i = from
        while true {
            let slash = ByteSearch.index(of: UInt8(ascii: "\\"), in: region, from: i, count: count)
            if slash < 0 || slash + 1 >= count { return -1 }
            let escaped = region[slash + 1]
            if escaped == UInt8(ascii: "u") || escaped == UInt8(ascii: "/") { return slash }
            i = slash + 2
        }
    }

    /// Validates one line and hands it to `body` when it matches. Returns false to stop.
    @inline(__always)
    private mutating func evaluate(_ line: UnsafePointer<UInt8>, _ count: Int,
                                   _ body: (UnsafePointer<UInt8>, Int, LineFields) throws -> Bool) throws -> Bool {
        var fields = LineFields()
        guard JSONLineScanner.scan(line, count: count, into: &fields) else {
            if !Self.isBlank(line, count) { stats.malformed += 1 }
            return true
        }
        guard filter.matches(line, count: count, fields) else { return true }
        stats.matched += 1
        return try body(line, count, fields)
    }

    static func isBlank(_ line: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        JSONLineScanner.skipWhitespace(line, &i, count)
        return i == count
    }
}
