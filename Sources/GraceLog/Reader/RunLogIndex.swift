#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GraceCore
import Synchronization

/// Where each run's lines are in a log and its rotated files, so a run's timeline and logs cost
/// what their own lines cost instead of a scan of every file.
///
/// The index lives in the server's memory and follows the files, not their names: each file is
/// known by its device and inode, so a rotation (a rename) keeps its entries, and only bytes
/// appended since the last look are read (by Grace or by any other process writing the same
/// file). A file that shrank or was replaced is read again from its start; a file no longer
/// listed is forgotten. Built on first use: the first request after a start reads each file once.
///
/// Matching stays with ``LogReader``: the index only narrows the bytes to the run's lines, which
/// are then filtered by the same code as a full scan (``LogReader/count(_:inLines:)``).
public final class RunLogIndex: Sendable {
    /// One line: its byte range in its file.
    struct LineRef: Sendable {
        var offset: Int
        var length: Int32
    }

    struct FileID: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64
    }

    struct FileIndex: Sendable {
        /// Which reading of the file this is: a new one when the file shrank or was replaced.
        var generation: Int
        /// Bytes read so far (always at a line end).
        var scanned = 0
        var runs: [String: [LineRef]] = [:]
    }

    /// The bytes of runs' lines already read from a log file, so a run asked for again (a
    /// dashboard polling a timeline) reads only the lines written since: a run's lines are
    /// scattered through a large log, one `pread` each, and 2,000 of them cost more than
    /// formatting the whole timeline. An entry is tied to one reading of one file (a new
    /// generation when a file shrinks or is replaced), and log files are only appended to, so
    /// cached lines stay what the file holds.
    struct CachedLinesKey: Hashable, Sendable {
        var file: FileID
        var generation: Int
        var runID: String
    }

    struct CachedLines: Sendable {
        /// How many of the run's lines in the file `bytes` holds (each followed by a newline).
        var count: Int
        var bytes: [UInt8]
    }

    /// What a run's lines in a set of log files are at one moment: per file, which reading of it
    /// and how many of the run's lines it holds. Log files are only appended to (a rewrite starts
    /// a new reading), so two equal versions mean the same ``lines(runID:paths:)``.
    public struct Version: Hashable, Sendable {
        struct File: Hashable, Sendable {
            var id: FileID
            var generation: Int
            var lines: Int
        }

        var files: [File]

        /// How many of the run's lines the files hold, over all of them.
        public var lineCount: Int { files.reduce(0) { $0 + $1.lines } }
    }

    private let files = Mutex<[FileID: FileIndex]>([:])
    private let generations = Atomic<Int>(0)
    private let cache: BoundedCache<CachedLinesKey, CachedLines>
    /// Bytes read per `pread` while indexing.
    let chunkSize: Int

    /// - Parameters:
    ///   - chunkSize: bytes read per `pread` while indexing.
    ///   - cacheBytes: most bytes of runs' lines kept for runs asked for again.
    public init(chunkSize: Int = 8 << 20, cacheBytes: Int = 32 << 20) {
        self.chunkSize = chunkSize
        self.cache = BoundedCache(capacity: cacheBytes)
    }

    /// The lines of `paths` (in that order, oldest file first) whose top-level `run_id` is
    /// `runID`, each followed by a newline, in file order.
    public func lines(runID: String, paths: [String]) throws -> [UInt8] {
        var output: [UInt8] = []
        try visit(paths) { id, fd, path, file in
            let refs = file.runs[runID] ?? []
            let key = CachedLinesKey(file: id, generation: file.generation, runID: runID)
            var lines = cache.value(for: key) ?? CachedLines(count: 0, bytes: [])
            if lines.count < refs.count {
                try Self.append(refs[lines.count...], from: fd, path: path, to: &lines.bytes)
                lines.count = refs.count
                cache.store(lines, cost: lines.bytes.count, for: key)
            }
            output += lines.bytes
        }
        return output
    }

    /// The version of the run's lines in `paths` now: the files are brought up to date as for
    /// ``lines(runID:paths:)``, but none of the run's lines is read.
    public func version(runID: String, paths: [String]) throws -> Version {
        var files: [Version.File] = []
        try visit(paths) { id, _, _, file in
            files.append(Version.File(id: id, generation: file.generation, lines: file.runs[runID]?.count ?? 0))
        }
        return Version(files: files)
    }

    /// Opens each file in turn, brings its index up to date and hands both to `body`; then
    /// forgets the files no longer listed.
    private func visit(_ paths: [String], _ body: (FileID, Int32, String, FileIndex) throws -> Void) throws {
        var seen = Set<FileID>()
        for path in paths {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw LogReaderError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw LogReaderError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
            let id = FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            seen.insert(id)
            try body(id, fd, path, try refreshed(id, fd: fd, path: path, size: Int(info.st_size)))
        }
        files.withLock { state in state = state.filter { seen.contains($0.key) } }
        cache.removeAll { !seen.contains($0.file) }
    }

    /// The file's index, brought up to `size` bytes. Holding the lock while reading keeps two
    /// requests from indexing the same bytes twice; after the first build that is only the tail.
    private func refreshed(_ id: FileID, fd: Int32, path: String, size: Int) throws -> FileIndex {
        try files.withLock { state in
            // Taken out of the dictionary while it grows, so appending to it copies nothing (a
            // copy of every run's references per request would cost what the whole log costs).
            var index = state.removeValue(forKey: id) ?? FileIndex(generation: newGeneration())
            defer { state[id] = index }  // what was read before an error stays indexed
            if size < index.scanned { index = FileIndex(generation: newGeneration()) }  // truncated or rewritten in place
            if size > index.scanned { try extend(&index, fd: fd, path: path, to: size) }
            return index
        }
    }

    private func newGeneration() -> Int {
        generations.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// Reads `[index.scanned, size)` and records every complete line that carries a `run_id`.
    private func extend(_ index: inout FileIndex, fd: Int32, path: String, to size: Int) throws {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { buffer.deallocate() }
        var matcher = ChunkMatcher(filter: try CompiledFilter(LogFilter()))
        while index.scanned < size {
            let wanted = min(chunkSize, size - index.scanned)
            let read = pread(fd, buffer, wanted, off_t(index.scanned))
            if read < 0 {
                if errno == EINTR { continue }
                throw LogReaderError.cannotRead(path: path, reason: String(cString: strerror(errno)))
            }
            if read == 0 { break }
            let lastNewline = ByteSearch.lastIndex(of: 0x0A, in: buffer, from: 0, end: read)
            guard lastNewline >= 0 else {
                // A line longer than a chunk, or an unfinished last line: a longer line is read
                // whole once; an unfinished one waits until its newline is written.
                if read == wanted && wanted == chunkSize, let long = try Self.longLine(fd, at: index.scanned, path: path) {
                    try long.withUnsafeBufferPointer { bytes in
                        if let base = bytes.baseAddress { try Self.index(base, count: bytes.count, at: index.scanned, into: &index, matcher: &matcher) }
                    }
                    index.scanned += long.count + 1
                    continue
                }
                break
            }
            try Self.index(UnsafePointer(buffer), count: lastNewline + 1, at: index.scanned, into: &index, matcher: &matcher)
            index.scanned += lastNewline + 1
        }
    }

    /// Records the lines of `region` (whole lines, found at file offset `offset`) whose `run_id`
    /// is a string: the only lines a `run_id` filter can match.
    private static func index(_ region: UnsafePointer<UInt8>, count: Int, at offset: Int, into index: inout FileIndex,
                              matcher: inout ChunkMatcher) throws {
        _ = try matcher.process(region, count: count) { line, length, fields in
            let run = fields.runID
            if run.kind == .string || run.kind == .escapedString, let id = JSONLineScanner.string(line, run) {
                index.runs[id, default: []].append(LineRef(offset: offset + region.distance(to: line), length: Int32(clamping: length)))
            }
            return true
        }
    }

    /// The complete line starting at `offset` (without its newline), or nil while it is unfinished.
    private static func longLine(_ fd: Int32, at offset: Int, path: String) throws -> [UInt8]? {
        var line: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var position = offset
        while true {
            let read = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(position)) }
            if read < 0 { throw LogReaderError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
            if read == 0 { return nil }
            if let newline = chunk[..<read].firstIndex(of: 0x0A) {
                line += chunk[..<newline]
                return line
            }
            line += chunk[..<read]
            position += read
        }
    }

    /// Appends the referenced lines, reading adjacent ones in one `pread`.
    private static func append(_ refs: ArraySlice<LineRef>, from fd: Int32, path: String, to output: inout [UInt8]) throws {
        var i = refs.startIndex
        while i < refs.endIndex {
            var j = i
            while j + 1 < refs.endIndex && refs[j + 1].offset == refs[j].offset + Int(refs[j].length) + 1 { j += 1 }
            let start = refs[i].offset, length = refs[j].offset + Int(refs[j].length) + 1 - start
            let before = output.count
            output.append(contentsOf: repeatElement(0, count: length))
            let read = output.withUnsafeMutableBufferPointer { pread(fd, $0.baseAddress! + before, length, off_t(start)) }
            guard read == length else {
                throw LogReaderError.cannotRead(path: path, reason: read < 0 ? String(cString: strerror(errno)) : "the file changed while it was read")
            }
            i = j + 1
        }
    }
}
