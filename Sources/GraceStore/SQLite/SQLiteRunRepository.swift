import GRDB
import GraceCore

/// Runs and steps in `grace.db`.
struct SQLiteRunRepository: RunRepository {
    let database: SQLiteConnection
    let nodeID: String?

    func create(_ run: AgentRun) async throws -> AgentRun {
        var run = run
        if run.nodeID == nil { run.nodeID = nodeID }
        return try await database.write { [run] db in try Self.create(db, run) }
    }

    private static func create(_ db: Database, _ run: AgentRun) throws -> AgentRun {
        if try db.fetchOne(StoreStatements.runExists(run.runID)) != nil {
            throw StoreError.conflict("run \(run.runID) already exists")
        }
        try db.execute(StoreStatements.insertRun(run))
        return run
    }

    func run(id: String) async throws -> AgentRun? {
        try await database.read { db in try Self.fetchRun(db, id: id) }
    }

    private static func fetchRun(_ db: Database, id: String) throws -> AgentRun? {
        try db.fetchOne(StoreStatements.selectRun(id, .sqlite)).map(AgentRun.init(row:))
    }

    func runs(matching query: RunQuery) async throws -> [AgentRun] {
        try await database.read { db in try db.fetchAll(StoreStatements.selectRuns(query)).map(AgentRun.init(row:)) }
    }

    func activeRuns() async throws -> [AgentRun] {
        try await runs(matching: RunQuery(status: .active, limit: 1000))
    }

    func count(matching query: RunQuery) async throws -> Int {
        try await database.read { db in try db.count(StoreStatements.countRuns(query)) }
    }

    func complete(runID: String, status: AgentRun.Status, at timestamp: String) async throws -> AgentRun {
        try await database.write { db in try Self.complete(db, runID: runID, status: status, at: timestamp) }
    }

    private static func complete(_ db: Database, runID: String, status: AgentRun.Status, at timestamp: String) throws -> AgentRun {
        let run = try StoreRules.completing(try fetchRun(db, id: runID), runID: runID, status: status, at: timestamp)
        try db.execute(StoreStatements.completeRun(run))
        return run
    }

    func addStep(_ step: TimelineStep) async throws -> TimelineStep {
        try await database.write { db in try Self.addStep(db, step) }
    }

    private static func addStep(_ db: Database, _ step: TimelineStep) throws -> TimelineStep {
        let step = try StoreRules.adding(step, to: try fetchRun(db, id: step.runID))
        if try db.fetchOne(StoreStatements.stepExists(step.stepID)) != nil {
            throw StoreError.conflict("step \(step.stepID) already exists")
        }
        try db.execute(StoreStatements.insertStep(step))
        return step
    }

    func updateStep(runID: String, stepID: String, _ update: StepUpdate) async throws -> TimelineStep {
        try await database.write { db in try Self.updateStep(db, runID: runID, stepID: stepID, update) }
    }

    private static func updateStep(_ db: Database, runID: String, stepID: String, _ update: StepUpdate) throws -> TimelineStep {
        let stored = try fetchStep(db, runID: runID, stepID: stepID)
        let step = try StoreRules.applying(update, to: stored, stepID: stepID)
        try db.execute(StoreStatements.updateStep(step))
        return step
    }

    private static func fetchStep(_ db: Database, runID: String, stepID: String) throws -> TimelineStep? {
        try db.fetchOne(StoreStatements.selectStep(runID: runID, stepID: stepID, .sqlite)).map(TimelineStep.init(row:))
    }

    func apply(_ event: AgentEvent) async throws -> AgentEvent.Outcome {
        let nodeID = nodeID
        return try await database.write { db in
            try db.execute(StoreStatements.insertEvent(event))
            guard db.changesCount == 1 else { return .duplicate }
            switch event.change {
            case .runStarted(var run):
                run.nodeID = run.nodeID ?? nodeID
                _ = try Self.create(db, run)
            case .step(let step):
                if let stored = try Self.fetchStep(db, runID: step.runID, stepID: step.stepID) {
                    _ = try Self.updateStep(db, runID: step.runID, stepID: step.stepID, StoreRules.update(moving: stored, to: step))
                } else {
                    _ = try Self.addStep(db, step)
                }
            case .runCompleted(let runID, let status, let timestamp):
                _ = try Self.complete(db, runID: runID, status: status, at: timestamp)
            }
            return .applied
        }
    }

    func steps(runID: String) async throws -> [TimelineStep] {
        try await database.read { db in
            // A cursor decodes each row in place by index instead of copying every row and looking
            // columns up by name (a quarter of a 1,000-step timeline request).
            let statement = StoreStatements.selectSteps(runID: runID, .sqlite)
            return try Row.fetchCursor(db, sql: statement.sql, arguments: StatementArguments(statement.arguments.map(\.databaseValue)))
                .map(TimelineStep.init(indexedRow:)).reduce(into: []) { $0.append($1) }
        }
    }

    func recordOutcome(runID: String, playbooksExecuted: Int, verificationsPassed: Int, verificationsFailed: Int) async throws {
        try await database.write { db in
            try db.execute(StoreStatements.recordOutcome(runID: runID, playbooksExecuted: playbooksExecuted,
                                                         verificationsPassed: verificationsPassed, verificationsFailed: verificationsFailed))
            guard db.changesCount == 1 else { throw StoreError.notFound(kind: "run", id: runID) }
        }
    }

    func ingest(_ spans: [TraceSpan]) async throws -> [String] {
        let traces = StoreRules.ingesting(spans)
        let nodeID = nodeID
        return try await database.write { db in
            for trace in traces {
                var run = trace.run
                run.nodeID = run.nodeID ?? nodeID
                try db.executeCached(StoreStatements.upsertTraceRun(run, hasRoot: trace.hasRoot, .sqlite))
                guard db.changesCount == 1 else { throw StoreError.conflict("run \(run.runID) exists and is not trace \(run.traceID ?? "")") }
                for step in trace.steps {
                    try db.executeCached(StoreStatements.upsertSpanStep(step))
                    guard db.changesCount == 1 else { throw StoreError.conflict("step \(step.stepID) belongs to another run") }
                }
            }
            return traces.map(\.run.runID)
        }
    }
}
