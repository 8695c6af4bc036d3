#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Follows a growing log file like `tail -f`, surviving rotation.
///
/// Poll-based: it reads to the end, then checks every `pollInterval` for new bytes. When the
/// path names a different file than the one open (renamed by rotation and recreated), it drains
/// the old file, then continues at the start of the new one; a file truncated below the read
/// position is read again from its start. A missing file is waited for. Only whole lines are
/// handed over; a partial last line waits for its newline.
public struct LogFollower: Sendable {
    public let path: String
    public let filter: LogFilter
    public var pollInterval: Duration

    public init(path: String, filter: LogFilter = LogFilter(), pollInterval: Duration = .milliseconds(250)) {
        self.path = path
        self.filter = filter
        self.pollInterval = pollInterval
    }

    /// Hands each matching line to `body` until the task is cancelled, then returns the
    /// statistics. `history` matching lines already in the file are handed over first (0: start
    /// at the current end; `Int.max`: the whole file). `caughtUp` is called each time the end of
    /// the file is reached after new lines, so a caller buffering output can flush it.
    @discardableResult
    public func follow(history: Int = 0, _ body: (UnsafeRawBufferPointer) throws -> Void,
                       caughtUp: () throws -> Void = {}) async throws -> LogScanStats {
        var matcher = ChunkMatcher(filter: try CompiledFilter(filter))
        var fd: Int32 = -1
        defer { if fd >= 0 { close(fd) } }
        var assembler = LineAssembler(capacity: 1 << 20)
        var firstOpen = true
        var delivered = false

        func emit(_ line: UnsafePointer<UInt8>, _ count: Int, _: LineFields) throws -> Bool {
            try body(UnsafeRawBufferPointer(start: line, count: count))
            delivered = true
            return true
        }

        while !Task.isCancelled {
            if fd < 0 {
                fd = open(path, O_RDONLY | O_CLOEXEC)
                if fd >= 0 {
                    assembler = LineAssembler(capacity: 1 << 20)
                    if firstOpen {
                        firstOpen = false
                        if history > 0 {
                            try readHistory(fd, &assembler, &matcher, limit: history, body)
                            delivered = true
                        } else {
                            lseek(fd, 0, SEEK_END)
                        }
                    }
                } else {
                    firstOpen = false
                }
            }
            if fd >= 0 {
                if try drain(fd, &assembler, &matcher, final: false, emit) { continue }
                // At the end of the open file: has the path moved on to another file?
                var open = stat(), named = stat()
                if fstat(fd, &open) == 0 {
                    if stat(path, &named) == 0 && (named.st_ino != open.st_ino || named.st_dev != open.st_dev) {
                        _ = try drain(fd, &assembler, &matcher, final: true, emit)
                        close(fd)
                        fd = -1
                        continue
                    }
                    let position = lseek(fd, 0, SEEK_CUR)
                    if open.st_size < position {
                        lseek(fd, 0, SEEK_SET)
                        assembler = LineAssembler(capacity: 1 << 20)
                        continue
                    }
                }
            }
            if delivered {
                try caughtUp()
                delivered = false
            }
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                break
            }
        }
        return matcher.stats
    }

    /// Reads whatever is available; returns whether anything was read. With `final`, a trailing
    /// partial line is handed over too (the file will not grow any more).
    private func drain(_ fd: Int32, _ assembler: inout LineAssembler, _ matcher: inout ChunkMatcher, final: Bool,
                       _ emit: (UnsafePointer<UInt8>, Int, LineFields) throws -> Bool) throws -> Bool {
        var readAny = false
        while true {
            let count = assembler.fill(from: fd)
            if count < 0 { throw LogReaderError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
            if count > 0 { readAny = true }
            let region = assembler.completeLines(includingPartial: final && count == 0)
            if region.count > 0 { _ = try matcher.process(region.base, count: region.count, emit) }
            assembler.consume(region.count)
            if count == 0 { return readAny }
        }
    }

    /// Reads the open file to its end, keeping the last `limit` matching lines, and hands them over.
    private func readHistory(_ fd: Int32, _ assembler: inout LineAssembler, _ matcher: inout ChunkMatcher, limit: Int,
                             _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var ring: [[UInt8]] = []
        var next = 0
        _ = try drain(fd, &assembler, &matcher, final: false) { line, count, _ in
            let bytes = Array(UnsafeBufferPointer(start: line, count: count))
            if ring.count < limit { ring.append(bytes) } else { ring[next] = bytes }
            next = (next + 1) % limit
            return true
        }
        let ordered = ring.count < limit ? ring : Array(ring[next...] + ring[..<next])
        for line in ordered { try line.withUnsafeBytes { try body($0) } }
    }
}
