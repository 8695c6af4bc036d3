import Foundation
import GraceCore
import GraceStore
import Logging
import ServiceLifecycle
import Tracing

/// Emits every run this node ends as a trace (``RunTrace``), once, on a tracer.
///
/// It follows the store rather than hooks in the code that ends runs: boots, API runs and the
/// supervised service's runs all end in the store, whichever code path ended them, and a store
/// shared by several nodes keeps each node's runs with the node that recorded them.
public struct RunTraceExporter<T: Tracer>: Service {
    let tracer: T
    let runs: any RunRepository
    let nodeID: String
    let interval: Duration
    let logger: Logger
    /// Where following starts: runs that ended earlier belong to an earlier process.
    let floor: Int64
    /// How far back each poll looks again for runs committed late (see ``ExportCursor``).
    let lateCommitWindow: Duration
    let pageSize: Int

    /// - Parameters:
    ///   - since: runs of this node that ended at or after this instant are exported.
    ///   - interval: time between polls of the store.
    ///   - lateCommitWindow: a run whose end was stamped up to this long before the newest end
    ///     already seen, but committed after it was read, is still found.
    public init(tracer: T, runs: any RunRepository, nodeID: String, since: Date, interval: Duration = .seconds(1),
                lateCommitWindow: Duration = .seconds(10), pageSize: Int = 200, logger: Logger) {
        self.tracer = tracer
        self.runs = runs
        self.nodeID = nodeID
        self.interval = interval
        self.lateCommitWindow = lateCommitWindow
        self.pageSize = max(1, pageSize)
        self.logger = logger
        floor = Int64((since.timeIntervalSince1970 * 1_000_000_000).rounded(.down))
    }

    /// A cursor that has seen nothing yet.
    func makeCursor() -> ExportCursor {
        ExportCursor(floor: floor, window: lateCommitWindow.wholeNanoseconds)
    }

    /// Polls until shutdown; after a graceful shutdown starts, polls once more so the runs that
    /// ended just before (the boot run's last words, a run completed as the stop came) still go out.
    public func run() async throws {
        var cursor = makeCursor()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await pollLogged(&cursor)
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
        }
        if !Task.isCancelled { await pollLogged(&cursor) }
    }

    private func pollLogged(_ cursor: inout ExportCursor) async {
        do {
            try await poll(&cursor)
        } catch {
            // The store may be briefly away (PostgreSQL restarting): the cursor has not moved past
            // what was not read, so the next tick picks up where this one stopped.
            logger.warning("trace export: reading runs failed; retrying", metadata: ["subsystem": "telemetry", "error": "\(error)"])
        }
    }

    /// Reads the runs of this node that ended since `cursor` and emits those not emitted yet.
    /// Returns how many were emitted.
    @discardableResult
    func poll(_ cursor: inout ExportCursor) async throws -> Int {
        let nowNanoseconds = Int64((Date().timeIntervalSince1970 * 1_000_000_000).rounded(.down))
        let bound = cursor.lowerBound()
        var emitted = 0
        var offset = 0
        while true {
            let page = try await runs.runs(matching: RunQuery(node: nodeID, endedAfter: bound, limit: pageSize, offset: offset))
            for run in page where run.status.isFinal && !cursor.hasSeen(run) {
                let steps = try await runs.steps(runID: run.runID)
                do {
                    let trace = try RunTrace(run: run, steps: steps)
                    trace.emit(to: tracer)
                    emitted += 1
                    for skipped in trace.skippedSteps {
                        logger.warning("trace export: step left out of the run's trace",
                                       metadata: ["subsystem": "telemetry", "run_id": "\(run.runID)", "step_id": "\(skipped.stepID)",
                                                  "reason": "\(skipped.reason)"])
                    }
                } catch {
                    logger.warning("trace export: run not exported", metadata: ["subsystem": "telemetry", "run_id": "\(run.runID)",
                                                                                "error": "\(error)"])
                }
                cursor.markSeen(run, now: nowNanoseconds)
            }
            if page.count < pageSize { break }
            // The bound stays fixed for the whole poll, so pages follow one order.
            offset += page.count
        }
        cursor.forgetBefore(cursor.lowerBound())
        return emitted
    }
}

/// Where a ``RunTraceExporter`` is: the newest end it has seen, and the runs it has already emitted
/// that a later poll may read again.
///
/// Each poll reads from a little before the newest end seen (`window`), not from it exactly: ends
/// are stamped before they are committed, so a run stamped earlier can appear after a later one was
/// read, and several runs can share one stamp. Remembering the ids read inside that window makes
/// every run go out once.
struct ExportCursor: Sendable {
    let floor: Int64
    let window: Int64
    private(set) var newest: Int64?
    /// Emitted runs by id, with their end: forgotten once the window has passed them.
    private(set) var seen: [String: Int64] = [:]
    /// Runs whose end cannot be read: text orders them anywhere, so they are kept for good (few, or none).
    private(set) var unreadable: Set<String> = []

    init(floor: Int64, window: Int64) {
        self.floor = floor
        self.window = max(0, window)
    }

    /// The `ended_at` text the next poll reads from.
    func lowerBound() -> String {
        let from = newest.map { max(floor, $0 - window) } ?? floor
        return Timestamp.string(nanosecondsSinceEpoch: from)
    }

    func hasSeen(_ run: AgentRun) -> Bool {
        seen[run.runID] != nil || unreadable.contains(run.runID)
    }

    /// Records `run` as handled. The newest end never passes `now`: a run stamped in the future (a
    /// clock stepped back) must not move the window past the runs that follow it.
    mutating func markSeen(_ run: AgentRun, now: Int64) {
        guard let end = run.endedAt.flatMap(Timestamp.nanosecondsSinceEpoch(from:)) else {
            unreadable.insert(run.runID)
            return
        }
        seen[run.runID] = end
        let capped = min(end, now)
        if capped > (newest ?? .min) { newest = capped }
    }

    /// Drops the ids of runs that ended before `bound`: no poll reads them again.
    mutating func forgetBefore(_ bound: String) {
        guard let limit = Timestamp.nanosecondsSinceEpoch(from: bound) else { return }
        seen = seen.filter { $0.value >= limit }
    }
}

extension Duration {
    /// The whole nanoseconds of this duration, saturating.
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
