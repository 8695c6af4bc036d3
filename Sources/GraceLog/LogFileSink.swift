#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where and how log lines are written to disk.
public struct LogFileConfiguration: Sendable {
    /// The active log file, e.g. `<home>/logs/grace.jsonl`. Rotated files are `<path>.1` … `<path>.N`.
    public var path: String
    /// `false` writes plain text lines instead of JSON objects.
    public var structured: Bool
    /// Rotate when appending a line would make the file larger than this. A single line larger
    /// than this is still written whole, to a fresh file.
    public var maxBytes: Int
    /// How many rotated files to keep (`<path>.1` is the newest). 0 keeps none.
    public var maxFiles: Int

    /// Defaults: JSON lines, rotation at 50 MiB, 5 rotated files kept.
    public init(path: String, structured: Bool = true, maxBytes: Int = 50 << 20, maxFiles: Int = 5) {
        self.path = path
        self.structured = structured
        self.maxBytes = maxBytes
        self.maxFiles = maxFiles
    }
}

/// Why a log file could not be opened.
public struct LogFileError: Error, CustomStringConvertible, Sendable {
    /// The log file that could not be opened.
    public var path: String
    /// The operating system's explanation.
    public var reason: String

    public var description: String { "cannot open log file \(path): \(reason)" }
}

/// Owns the open log file, a 64 KiB write buffer under a `Mutex`, and rotation.
///
/// Lines are buffered and written whole, so a line is never split across writes or files. The
/// buffer is written when it passes 64 KiB, after any line at level `.error` or above, on
/// ``flush()`` and on ``close()`` (and when the sink is released). The file is opened with
/// `O_APPEND`, so several processes can append to it; before each write the sink checks that
/// the path still names its open file and reopens it if another process (or an external tool)
/// rotated or removed it.
public final class LogFileSink: Sendable {
    /// The buffer is written once it holds at least this many bytes.
    static let flushThreshold = 64 << 10

    /// The configuration the sink was opened with.
    public let configuration: LogFileConfiguration
    private let state: Mutex<State>

    struct State: ~Copyable {
        var fd: Int32 = -1
        var device: UInt64 = 0
        var inode: UInt64 = 0
        /// Bytes in the file plus bytes buffered for it.
        var size = 0
        var buffer = ByteBuffer(capacity: LogFileSink.flushThreshold + 4096)
        var clock = UTCTimestampCache()
        var closed = false
        var failureReported = false
    }

    /// Opens (creating if needed) the file at `configuration.path` and its parent folder.
    /// - Throws: ``LogFileError`` naming the path when the folder or file cannot be created or opened.
    public init(configuration: LogFileConfiguration) throws {
        self.configuration = configuration
        if let slash = configuration.path.lastIndex(of: "/"), slash != configuration.path.startIndex,
           let failure = Self.makeFolders(String(configuration.path[..<slash])) {
            throw LogFileError(path: configuration.path, reason: failure)
        }
        var initial = State()
        if let failure = Self.open(configuration.path, into: &initial) {
            throw LogFileError(path: configuration.path, reason: failure)
        }
        state = Mutex(initial)
    }

    deinit {
        close()
    }

    /// Appends one line as it is (a newline is added when missing), with the same buffering
    /// and rotation as the handler's lines. The caller is responsible for its format.
    public func write(_ line: some Collection<UInt8> & Sendable) {
        state.withLock { state in
            guard !state.closed else { return }
            let start = state.buffer.count
            state.buffer.append(contentsOf: line)
            if state.buffer.last != UInt8(ascii: "\n") {
                state.buffer.append(UInt8(ascii: "\n"))
            }
            commitLine(startingAt: start, flushNow: false, &state)
        }
    }

    /// Appends one line of text (a newline is added when missing).
    public func write(_ line: String) {
        write(line.utf8)
    }

    /// Formats `record` (JSON or plain text) straight into the buffer. The timestamp is taken
    /// under the lock, so lines from one process appear in the file in timestamp order.
    func write(_ record: LogRecord) {
        let flushNow = record.level >= .error
        let structured = configuration.structured
        state.withLock { state in
            guard !state.closed else { return }
            let start = state.buffer.count
            if structured {
                LineFormatter.appendJSON(record, clock: &state.clock, to: &state.buffer)
            } else {
                LineFormatter.appendPlain(record, clock: &state.clock, to: &state.buffer)
            }
            commitLine(startingAt: start, flushNow: flushNow, &state)
        }
    }

    /// Writes buffered bytes to the file now.
    public func flush() {
        state.withLock { state in
            guard !state.closed else { return }
            flushBuffer(&state)
        }
    }

    /// Flushes and closes the file. Later writes are ignored.
    public func close() {
        state.withLock { state in
            guard !state.closed else { return }
            flushBuffer(&state)
            if state.fd >= 0 {
                _ = systemClose(state.fd)
                state.fd = -1
            }
            state.closed = true
        }
    }

    // MARK: - Under the lock

    /// The line at `buffer[start...]` has just been appended: rotate first if it would overflow
    /// the file, then flush if needed.
    private func commitLine(startingAt start: Int, flushNow: Bool, _ state: inout State) {
        let length = state.buffer.count - start
        if state.size > 0 && state.size + length > configuration.maxBytes {
            writeOut(&state, upTo: start)
            rotate(&state)
            state.buffer.removeFirst(start)
        }
        state.size += length
        if flushNow || state.buffer.count >= Self.flushThreshold {
            flushBuffer(&state)
        }
    }

    private func flushBuffer(_ state: inout State) {
        if state.buffer.isEmpty { return }
        reopenIfReplaced(&state)
        writeOut(&state, upTo: state.buffer.count)
        state.buffer.removeAll()
    }

    /// Writes `buffer[0..<end]` to the file, retrying short writes.
    private func writeOut(_ state: inout State, upTo end: Int) {
        if end == 0 { return }
        if state.fd < 0, let failure = Self.open(configuration.path, into: &state) {
            report(failure, &state)
            return
        }
        let base = state.buffer.base
        let start = lseek(state.fd, 0, SEEK_END)  // where this append begins
        var offset = 0
        while offset < end {
            let written = systemWrite(state.fd, base + offset, end - offset)
            if written < 0 {
                if errno == EINTR { continue }
                let failure = String(cString: strerror(errno))
                if offset > 0 && start >= 0 { Self.cutTornLine(state.fd, start: start, bytes: base, written: offset) }
                report(failure, &state)
                return
            }
            offset += written
        }
    }

    /// A write that failed part-way (a full disk) must not leave half a line for the next line to
    /// be glued to: cut the file back to the last whole line this write put there, unless another
    /// process has appended since (then its lines matter more than our fragment).
    private static func cutTornLine(_ fd: Int32, start: off_t, bytes: UnsafeMutablePointer<UInt8>, written: Int) {
        var whole = written
        while whole > 0 && bytes[whole - 1] != 0x0A { whole -= 1 }
        guard whole < written else { return }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size == start + off_t(written) else { return }
        _ = ftruncate(fd, start + off_t(whole))
    }

    /// Another process may have rotated the file, or someone removed it: follow the path.
    private func reopenIfReplaced(_ state: inout State) {
        var info = stat()
        if stat(configuration.path, &info) == 0,
           UInt64(info.st_dev) == state.device, UInt64(info.st_ino) == state.inode {
            return
        }
        let pending = state.buffer.count
        if state.fd >= 0 { _ = systemClose(state.fd) }
        state.fd = -1
        if let failure = Self.open(configuration.path, into: &state) {
            report(failure, &state)
        }
        state.size += pending
    }

    private func rotate(_ state: inout State) {
        let path = configuration.path
        // Two processes rotating at once would rename each other's files over one another and
        // lose lines: rotation holds an exclusive flock on the log folder, and checks under it
        // whether the path still names this sink's file.
        let folderLock = Self.lockFolder(of: path)
        defer {
            if folderLock >= 0 {
                _ = flock(folderLock, LOCK_UN)
                _ = systemClose(folderLock)
            }
        }
        var info = stat()
        let stillOurs = stat(path, &info) == 0
            && UInt64(info.st_dev) == state.device && UInt64(info.st_ino) == state.inode
        if state.fd >= 0 { _ = systemClose(state.fd) }
        state.fd = -1
        // When another process already rotated, the path names a fresh file: just reopen it.
        if stillOurs {
            let keep = configuration.maxFiles
            if keep > 0 {
                for index in stride(from: keep - 1, through: 1, by: -1) {
                    _ = rename("\(path).\(index)", "\(path).\(index + 1)")
                }
                _ = rename(path, "\(path).1")
            } else {
                _ = unlink(path)
            }
        }
        if let failure = Self.open(path, into: &state) {
            report(failure, &state)
        }
    }

    /// Opens and exclusively locks the folder holding `path`; -1 when that is not possible
    /// (rotation then goes ahead unlocked, as a single process needs no lock).
    /// Runs `body` holding the exclusive lock rotation takes on the folder of the log at `path`,
    /// so whoever else renames or deletes rotated files (retention) never races a rotation.
    /// Without the lock (the folder cannot be opened) `body` still runs: rotation does the same.
    public static func withRotationLock<T>(ofLog path: String, _ body: () throws -> T) rethrows -> T {
        let lock = lockFolder(of: path)
        defer {
            if lock >= 0 {
                _ = flock(lock, LOCK_UN)
                _ = systemClose(lock)
            }
        }
        return try body()
    }

    private static func lockFolder(of path: String) -> Int32 {
        var folder = "."
        if let slash = path.lastIndex(of: "/") { folder = slash == path.startIndex ? "/" : String(path[..<slash]) }
        let fd = systemOpen(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0)
        if fd < 0 { return -1 }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR {
                _ = systemClose(fd)
                return -1
            }
        }
        return fd
    }

    /// Reports the first write failure on stderr; logging must not throw or crash the caller.
    private func report(_ failure: String, _ state: inout State) {
        if state.failureReported { return }
        state.failureReported = true
        let text = "grace: cannot write log file \(configuration.path): \(failure)\n"
        _ = text.utf8.withContiguousStorageIfAvailable { systemWrite(2, $0.baseAddress!, $0.count) }
    }

    /// `mkdir -p`; returns an error text on failure.
    private static func makeFolders(_ path: String) -> String? {
        var info = stat()
        if stat(path, &info) == 0 {
            return (info.st_mode & S_IFMT) == S_IFDIR ? nil : "\(path) exists and is not a folder"
        }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex,
           let failure = makeFolders(String(path[..<slash])) {
            return failure
        }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            return "cannot create folder \(path): \(String(cString: strerror(errno)))"
        }
        return nil
    }

    /// Opens `path` for appending and records its identity and size; returns an error text on failure.
    private static func open(_ path: String, into state: inout State) -> String? {
        let fd = systemOpen(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        if fd < 0 { return String(cString: strerror(errno)) }
        var info = stat()
        if fstat(fd, &info) != 0 {
            let failure = String(cString: strerror(errno))
            _ = systemClose(fd)
            return failure
        }
        state.fd = fd
        state.device = UInt64(info.st_dev)
        state.inode = UInt64(info.st_ino)
        state.size = Int(info.st_size)
        return nil
    }
}

// The class has methods named `write` and `close`; these reach the C functions unambiguously.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    #if canImport(Glibc)
    Glibc.open(path, flags, mode)
    #else
    Darwin.open(path, flags, mode)
    #endif
}

func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, bytes, count)
    #else
    Darwin.write(fd, bytes, count)
    #endif
}

private func systemClose(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.close(fd)
    #else
    Darwin.close(fd)
    #endif
}
