import GraceCore
import GraceLog
import NIOCore

/// Rendered timelines of runs asked for again (the dashboard asks for the open run's every few
/// seconds), each kept with the version it was rendered at, so that re-reading an unchanged
/// timeline costs a look at two version numbers instead of its steps and its log lines.
///
/// The version is the run's row, whose `steps_version` the store changes in the same transaction
/// as any change to the run's steps (on every node sharing the database), and the version of the
/// run's log lines in this home's files (``RunLogIndex/Version``). Any difference renders the
/// timeline again. A timeline rendered after its version was read can only be newer than that
/// version, never older, so a kept answer is never older than what its version describes.
struct TimelineCache: Sendable {
    struct Version: Equatable, Sendable {
        var run: AgentRun
        var logs: RunLogIndex.Version
    }

    private struct Entry: Sendable {
        var version: Version
        var body: ByteBuffer
    }

    private let entries: BoundedCache<String, Entry>

    /// - Parameter capacity: most bytes of rendered timelines kept (one larger than a quarter of it is never kept).
    init(capacity: Int = 32 << 20) {
        entries = BoundedCache(capacity: capacity)
    }

    /// The timeline of `runID` rendered at `version`, if it is kept.
    func body(runID: String, at version: Version) -> ByteBuffer? {
        guard let entry = entries.value(for: runID), entry.version == version else { return nil }
        return entry.body
    }

    func store(_ body: ByteBuffer, runID: String, at version: Version) {
        entries.store(Entry(version: version, body: body), cost: body.readableBytes, for: runID)
    }
}
