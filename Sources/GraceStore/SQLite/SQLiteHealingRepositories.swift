import GRDB
import GraceCore

/// `verification_events` in `grace.db`.
struct SQLiteVerificationRepository: VerificationRepository {
    let database: SQLiteConnection

    func record(_ event: VerificationEvent) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO verification_events (verification_id, verification_type, target_component, verification_method,
                    result, passed, confidence, details, verified_by, run_id, playbook_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [event.verificationID, event.verificationType, event.targetComponent, event.verificationMethod,
                                 event.result, event.passed, event.confidence, event.details?.jsonText, event.verifiedBy,
                                 event.runID, event.playbookID, event.createdAt])
        }
    }

    func recent(limit: Int) async throws -> [VerificationEvent] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM verification_events ORDER BY created_at DESC, id DESC LIMIT ?", arguments: [limit])
                .map(VerificationEvent.init(row:))
        }
    }
}

/// `playbooks`, `playbook_runs` and `playbook_stats` in `grace.db`.
struct SQLitePlaybookRepository: PlaybookRepository {
    let database: SQLiteConnection

    func upsert(_ playbook: PlaybookRecord) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO playbooks (id, name, description, service, severity, risk_level, autonomy_tier, preconditions,
                    parameters_schema, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET name = excluded.name, description = excluded.description,
                    service = excluded.service, severity = excluded.severity, risk_level = excluded.risk_level,
                    autonomy_tier = excluded.autonomy_tier, preconditions = excluded.preconditions,
                    parameters_schema = excluded.parameters_schema
                """, arguments: [playbook.id, playbook.name, playbook.description, playbook.service, playbook.severity,
                                 playbook.riskLevel.rawValue, playbook.autonomyTier.description, playbook.preconditions?.jsonText,
                                 playbook.parametersSchema?.jsonText, playbook.createdAt])
        }
    }

    func playbooks() async throws -> [PlaybookRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM playbooks ORDER BY id").map(PlaybookRecord.init(row:))
        }
    }

    func record(_ run: PlaybookRun) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO playbook_runs (id, playbook_id, pattern_id, run_id, status, decision, started_at, ended_at, details)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET status = excluded.status, ended_at = excluded.ended_at, details = excluded.details
                """, arguments: [run.id, run.playbookID, run.patternID, run.runID, run.status.rawValue, run.decision,
                                 run.startedAt, run.endedAt, run.details?.jsonText])
        }
    }

    func runs(since timestamp: String?, limit: Int) async throws -> [PlaybookRun] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM playbook_runs WHERE started_at >= ? ORDER BY started_at DESC LIMIT ?",
                             arguments: [timestamp ?? "", limit]).map(PlaybookRun.init(row:))
        }
    }

    func recordAttempt(playbookID: String, patternID: String, succeeded: Bool, at timestamp: String) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO playbook_stats (playbook_id, pattern_id, attempts, successes, last_run_at) VALUES (?, ?, 1, ?, ?)
                ON CONFLICT(playbook_id, pattern_id) DO UPDATE SET attempts = attempts + 1,
                    successes = successes + excluded.successes, last_run_at = excluded.last_run_at
                """, arguments: [playbookID, patternID, succeeded ? 1 : 0, timestamp])
        }
    }

    func stats() async throws -> [PlaybookStats] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM playbook_stats ORDER BY pattern_id, playbook_id").map { row in
                PlaybookStats(playbookID: row["playbook_id"], patternID: row["pattern_id"], attempts: row["attempts"],
                              successes: row["successes"], lastRunAt: row["last_run_at"])
            }
        }
    }
}
