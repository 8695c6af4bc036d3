import Foundation
import GraceCore
import GraceStore
import Logging
import ServiceLifecycle
import Synchronization
import Testing
@testable import GraceTelemetry

/// A real SQLite store in a fresh temp folder, removed when the test ends.
final class ScratchStore {
    let folder: URL
    let store: SQLiteStore

    init(nodeID: String) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("grace-telemetry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteStore(layout: GraceHomeLayout(root: folder.path), nodeID: nodeID)
    }

    var runs: any RunRepository { store.repositories.runs }

    /// A run of `node` (this store's node when nil) with one step, ended at `endedAt` when given.
    @discardableResult
    func run(node: String? = nil, endedAt: String?, status: AgentRun.Status = .success) async throws -> String {
        let run = try await runs.create(AgentRun(trigger: .manual, subsystem: "test", nodeID: node))
        _ = try await runs.addStep(TimelineStep(runID: run.runID, stepType: "plan_creation", subsystem: "test",
                                                description: "plan", status: .success, durationMS: 3))
        if let endedAt { _ = try await runs.complete(runID: run.runID, status: status, at: endedAt) }
        return run.runID
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(at: folder)
    }
}

@Suite struct RunTraceExporterTests {
    /// Quiet: the warnings these tests provoke on purpose would only clutter the test output.
    static let logger = Logger(label: "grace.telemetry.test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func exporter(_ tracer: RecordingTracer, _ scratch: ScratchStore, runs: (any RunRepository)? = nil,
                         window: Duration = .seconds(10), interval: Duration = .seconds(3600),
                         pageSize: Int = 200) -> RunTraceExporter<RecordingTracer> {
        RunTraceExporter(tracer: tracer, runs: runs ?? scratch.runs, nodeID: "node-a", since: Date().addingTimeInterval(-2),
                         interval: interval, lateCommitWindow: window, pageSize: pageSize, logger: logger)
    }

    /// Waits, at most `limit`, until `condition` holds; whether it did.
    static func eventually(within limit: Duration = .seconds(30), _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    @Test func exportsEachEndedRunOfThisNodeOnceAcrossPolls() async throws {
        let scratch = try ScratchStore(nodeID: "node-a")
        let tracer = RecordingTracer()
        let exporter = Self.exporter(tracer, scratch)
        var cursor = exporter.makeCursor()
        let first = try await scratch.run(endedAt: Timestamp.now())
        try await scratch.run(node: "node-b", endedAt: Timestamp.now())
        let active = try await scratch.run(endedAt: nil)
        try await scratch.run(endedAt: "2020-01-01T00:00:00.000000Z")  // before this process: exported by an earlier one
        #expect(try await exporter.poll(&cursor) == 1)
        #expect(try await exporter.poll(&cursor) == 0)
        _ = try await scratch.runs.complete(runID: active, status: .failed, at: Timestamp.now())
        #expect(try await exporter.poll(&cursor) == 1)
        #expect(try await exporter.poll(&cursor) == 0)
        #expect(try await exporter.poll(&cursor) == 0)
        #expect(tracer.roots.map { $0.string("grace.run_id") } == [first, active])
        #expect(tracer.roots.map { $0.string("grace.run.status") } == ["success", "failed"])
        #expect(tracer.roots.map { $0.string("grace.node_id") } == ["node-a", "node-a"])
        for root in tracer.roots {
            #expect(tracer.children(of: root).map(\.name) == ["plan_creation plan"], "the step type and its name")
        }
    }

    @Test func tiesAtTheCursorAreNeitherLostNorDuplicated() async throws {
        let scratch = try ScratchStore(nodeID: "node-a")
        let tracer = RecordingTracer()
        // No look-back window and tiny pages: only the ids remembered at the cursor keep ties apart.
        let exporter = Self.exporter(tracer, scratch, window: .zero, pageSize: 2)
        var cursor = exporter.makeCursor()
        let tie = Timestamp.string(from: Date().addingTimeInterval(-1))
        var expected = [try await scratch.run(endedAt: tie), try await scratch.run(endedAt: tie)]
        #expect(try await exporter.poll(&cursor) == 2)
        // More runs end at the very instant the cursor stands on, more of them than a page holds.
        for _ in 0..<3 { expected.append(try await scratch.run(endedAt: tie)) }
        #expect(try await exporter.poll(&cursor) == 3)
        #expect(try await exporter.poll(&cursor) == 0)
        let later = Timestamp.now()
        expected.append(try await scratch.run(endedAt: later))
        expected.append(try await scratch.run(endedAt: later))
        #expect(try await exporter.poll(&cursor) == 2)
        #expect(try await exporter.poll(&cursor) == 0)
        #expect(Set(tracer.roots.compactMap { $0.string("grace.run_id") }) == Set(expected))
        #expect(tracer.roots.count == expected.count)
    }

    @Test func aRunCommittedAfterALaterOneIsStillExported() async throws {
        let scratch = try ScratchStore(nodeID: "node-a")
        let tracer = RecordingTracer()
        let exporter = Self.exporter(tracer, scratch)
        var cursor = exporter.makeCursor()
        let now = Date()
        let late = try await scratch.run(endedAt: Timestamp.string(from: now))
        #expect(try await exporter.poll(&cursor) == 1)
        // Stamped a moment before the run already read, committed after it (a slow writer).
        let early = try await scratch.run(endedAt: Timestamp.string(from: now.addingTimeInterval(-0.5)))
        #expect(try await exporter.poll(&cursor) == 1)
        #expect(try await exporter.poll(&cursor) == 0)
        #expect(tracer.roots.map { $0.string("grace.run_id") } == [late, early])
    }

    @Test func unreadableEndsAreSkippedOnceWithoutStoppingTheRest() async throws {
        let scratch = try ScratchStore(nodeID: "node-a")
        let tracer = RecordingTracer()
        let exporter = Self.exporter(tracer, scratch)
        var cursor = exporter.makeCursor()
        try await scratch.run(endedAt: "not a time")  // sorts after every real timestamp
        let good = try await scratch.run(endedAt: Timestamp.now())
        #expect(try await exporter.poll(&cursor) == 1)
        #expect(try await exporter.poll(&cursor) == 0)
        #expect(tracer.roots.map { $0.string("grace.run_id") } == [good])
    }

    @Test func storeErrorsAreRetriedOnTheNextTick() async throws {
        let scratch = try ScratchStore(nodeID: "node-a")
        let tracer = RecordingTracer()
        let flaky = FlakyRuns(scratch.runs, failures: 3)
        let exporter = Self.exporter(tracer, scratch, runs: flaky, interval: .milliseconds(10))
        let runID = try await scratch.run(endedAt: Timestamp.now())
        let group = ServiceGroup(configuration: .init(services: [.init(service: exporter)], logger: Self.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let exported = try await Self.eventually { !tracer.roots.isEmpty }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            #expect(exported)
        }
        #expect(flaky.failuresLeft == 0)
        #expect(tracer.roots.map { $0.string("grace.run_id") } == [runID])
    }

    @Test func runsEndedJustBeforeShutdownAreExportedByTheFinalPoll() async throws {
        let scratch = try ScratchStore(nodeID: "node-a")
        let tracer = RecordingTracer()
        let exporter = Self.exporter(tracer, scratch)  // polls once, then sleeps for an hour
        let first = try await scratch.run(endedAt: Timestamp.now())
        let group = ServiceGroup(configuration: .init(services: [.init(service: exporter)], logger: Self.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(try await Self.eventually { tracer.roots.count == 1 })
            let last = try await scratch.run(endedAt: Timestamp.now(), status: .aborted)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            #expect(tracer.roots.map { $0.string("grace.run_id") } == [first, last])
        }
    }
}

/// The real run repository, except that its first `failures` run listings fail as a lost
/// database connection would.
final class FlakyRuns: RunRepository {
    let base: any RunRepository
    private let remaining: Mutex<Int>

    init(_ base: any RunRepository, failures: Int) {
        self.base = base
        remaining = Mutex(failures)
    }

    var failuresLeft: Int { remaining.withLock { $0 } }

    func runs(matching query: RunQuery) async throws -> [AgentRun] {
        let fail = remaining.withLock { left in
            defer { left = max(0, left - 1) }
            return left > 0
        }
        if fail { throw StoreError.unavailable(database: "test", reason: "connection lost") }
        return try await base.runs(matching: query)
    }

    func create(_ run: AgentRun) async throws -> AgentRun { try await base.create(run) }
    func run(id: String) async throws -> AgentRun? { try await base.run(id: id) }
    func activeRuns() async throws -> [AgentRun] { try await base.activeRuns() }
    func count(matching query: RunQuery) async throws -> Int { try await base.count(matching: query) }
    func complete(runID: String, status: AgentRun.Status, at timestamp: String) async throws -> AgentRun {
        try await base.complete(runID: runID, status: status, at: timestamp)
    }
    func addStep(_ step: TimelineStep) async throws -> TimelineStep { try await base.addStep(step) }
    func updateStep(runID: String, stepID: String, _ update: StepUpdate) async throws -> TimelineStep {
        try await base.updateStep(runID: runID, stepID: stepID, update)
    }
    func steps(runID: String) async throws -> [TimelineStep] { try await base.steps(runID: runID) }
    func ingest(_ spans: [TraceSpan]) async throws -> [String] { try await base.ingest(spans) }
    func apply(_ event: AgentEvent) async throws -> AgentEvent.Outcome { try await base.apply(event) }
    func recordOutcome(runID: String, playbooksExecuted: Int, verificationsPassed: Int, verificationsFailed: Int) async throws {
        try await base.recordOutcome(runID: runID, playbooksExecuted: playbooksExecuted, verificationsPassed: verificationsPassed,
                                     verificationsFailed: verificationsFailed)
    }
}
