import Synchronization

/// The bytes of runs' lines already read from a log file, so a run asked for again (a dashboard
/// polling a timeline) reads only the lines written since. A run's lines are scattered through a
/// large log, one `pread` each: 2,000 lines cost more than formatting the whole timeline.
///
/// An entry is tied to one reading of one file (``RunLogIndex`` starts a new generation when a
/// file shrinks or is replaced), and log files are only appended to, so cached lines stay what
/// the file holds. Bounded by bytes; the least recently used runs go first.
final class RunLineCache: Sendable {
    struct Key: Hashable, Sendable {
        var file: RunLogIndex.FileID
        var generation: Int
        var runID: String
    }

    struct Lines: Sendable {
        /// How many of the run's lines in the file `bytes` holds (each followed by a newline).
        var count: Int
        var bytes: [UInt8]
    }

    private struct State {
        var entries: [Key: (lines: Lines, lastUse: UInt64)] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    private let state = Mutex(State())
    /// Most bytes kept; a run of more than a quarter of this is never kept.
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    func lines(_ key: Key) -> Lines? {
        state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            state.clock += 1
            state.entries[key]?.lastUse = state.clock
            return entry.lines
        }
    }

    func store(_ lines: Lines, for key: Key) {
        guard lines.bytes.count <= capacity / 4 else { return }
        state.withLock { state in
            state.clock += 1
            if let old = state.entries.updateValue((lines, state.clock), forKey: key) { state.bytes -= old.lines.bytes.count }
            state.bytes += lines.bytes.count
            guard state.bytes > capacity else { return }
            for (key, entry) in state.entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) where state.bytes > capacity {
                state.entries[key] = nil
                state.bytes -= entry.lines.bytes.count
            }
        }
    }

    /// Drops the entries of files that are gone.
    func keep(files: Set<RunLogIndex.FileID>) {
        state.withLock { state in
            for (key, entry) in state.entries where !files.contains(key.file) {
                state.entries[key] = nil
                state.bytes -= entry.lines.bytes.count
            }
        }
    }
}
