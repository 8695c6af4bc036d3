import GRDB
import GraceCore

/// Runs and steps in `grace.db`.
struct SQLiteRunRepository: RunRepository {
    let database: SQLiteConnection

    func create(_ run: AgentRun) async throws -> AgentRun {
        try await database.write { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM agent_runs WHERE run_id = ?", arguments: [run.runID]) != nil {
                throw StoreError.conflict("run \(run.runID) already exists")
            }
            try db.execute(sql: """
                INSERT INTO agent_runs (run_id, kind, trigger, subsystem, status, started_at, ended_at,
                    playbooks_executed, verifications_passed, verifications_failed, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run.runID, run.kind, run.trigger.rawValue, run.subsystem, run.status.rawValue, run.startedAt,
                                 run.endedAt, run.playbooksExecuted, run.verificationsPassed, run.verificationsFailed,
                                 run.body?.jsonText])
            return run
        }
    }

    func run(id: String) async throws -> AgentRun? {
        try await database.read { db in try Self.fetchRun(db, id: id) }
    }

    private static func fetchRun(_ db: Database, id: String) throws -> AgentRun? {
        try Row.fetchOne(db, sql: "SELECT * FROM agent_runs WHERE run_id = ?", arguments: [id]).map(AgentRun.init(row:))
    }

    func runs(matching query: RunQuery) async throws -> [AgentRun] {
        try await database.read { db in
            var clauses: [String] = []
            var arguments = StatementArguments()
            if let status = query.status { clauses.append("status = ?"); arguments += [status.rawValue] }
            if let kind = query.kind { clauses.append("kind = ?"); arguments += [kind] }
            if let subsystem = query.subsystem { clauses.append("subsystem = ?"); arguments += [subsystem] }
            let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            arguments += [max(0, query.limit), max(0, query.offset)]
            return try Row.fetchAll(db, sql: "SELECT * FROM agent_runs \(filter) ORDER BY started_at DESC, run_id LIMIT ? OFFSET ?",
                                    arguments: arguments).map(AgentRun.init(row:))
        }
    }

    func activeRuns() async throws -> [AgentRun] {
        try await runs(matching: RunQuery(status: .active, limit: 1000))
    }

    func complete(runID: String, status: AgentRun.Status, at timestamp: String) async throws -> AgentRun {
        guard status.isFinal else { throw StoreError.invalid("a run is completed with success, failed or aborted, not \(status.rawValue)") }
        return try await database.write { db in
            guard var run = try Self.fetchRun(db, id: runID) else { throw StoreError.notFound(kind: "run", id: runID) }
            guard run.status == .active else {
                throw StoreError.conflict("run \(runID) is already completed (status \(run.status.rawValue))")
            }
            try db.execute(sql: "UPDATE agent_runs SET status = ?, ended_at = ? WHERE run_id = ?",
                           arguments: [status.rawValue, timestamp, runID])
            run.status = status
            run.endedAt = timestamp
            return run
        }
    }

    func addStep(_ step: TimelineStep) async throws -> TimelineStep {
        try await database.write { db in
            guard let run = try Self.fetchRun(db, id: step.runID) else { throw StoreError.notFound(kind: "run", id: step.runID) }
            guard run.status == .active else {
                throw StoreError.conflict("run \(step.runID) is completed (status \(run.status.rawValue)); steps cannot be added")
            }
            if try Row.fetchOne(db, sql: "SELECT 1 FROM agent_steps WHERE step_id = ?", arguments: [step.stepID]) != nil {
                throw StoreError.conflict("step \(step.stepID) already exists")
            }
            try db.execute(sql: """
                INSERT INTO agent_steps (step_id, run_id, timestamp, step_type, subsystem, description, status,
                    duration_ms, details, playbook_id, verification_id, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [step.stepID, step.runID, step.timestamp, step.stepType, step.subsystem, step.description,
                                 step.status.rawValue, step.durationMS, step.details?.jsonText, step.playbookID,
                                 step.verificationID, Timestamp.now()])
            return step
        }
    }

    func updateStep(runID: String, stepID: String, _ update: StepUpdate) async throws -> TimelineStep {
        try await database.write { db in
            guard var step = try Row.fetchOne(db, sql: "SELECT \(TimelineStep.selection) FROM agent_steps WHERE step_id = ? AND run_id = ?",
                                              arguments: [stepID, runID]).map(TimelineStep.init(row:)) else {
                throw StoreError.notFound(kind: "step", id: stepID)
            }
            if let status = update.status {
                guard step.status.canMove(to: status) else {
                    throw StoreError.conflict("step \(stepID) cannot go from \(step.status.rawValue) to \(status.rawValue)")
                }
                step.status = status
            }
            if let duration = update.durationMS { step.durationMS = duration }
            if let details = update.details { step.details = details }
            if let description = update.description { step.description = description }
            try db.execute(sql: """
                UPDATE agent_steps SET status = ?, duration_ms = ?, details = ?, description = ?, updated_at = ?
                WHERE step_id = ?
                """, arguments: [step.status.rawValue, step.durationMS, step.details?.jsonText, step.description,
                                 Timestamp.now(), stepID])
            return step
        }
    }

    func steps(runID: String) async throws -> [TimelineStep] {
        try await database.read { db in
            // A cursor decodes each row in place instead of copying every row first.
            try Row.fetchCursor(db, sql: "SELECT \(TimelineStep.selection) FROM agent_steps WHERE run_id = ? ORDER BY timestamp, rowid",
                                arguments: [runID]).map(TimelineStep.init(row:)).reduce(into: []) { $0.append($1) }
        }
    }

    func recordOutcome(runID: String, playbooksExecuted: Int, verificationsPassed: Int, verificationsFailed: Int) async throws {
        try await database.write { db in
            try db.execute(sql: """
                UPDATE agent_runs SET playbooks_executed = playbooks_executed + ?,
                    verifications_passed = verifications_passed + ?, verifications_failed = verifications_failed + ?
                WHERE run_id = ?
                """, arguments: [playbooksExecuted, verificationsPassed, verificationsFailed, runID])
            guard db.changesCount == 1 else { throw StoreError.notFound(kind: "run", id: runID) }
        }
    }
}
