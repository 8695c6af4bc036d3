import GRDB
import GraceCore

/// `verification_events` in `grace.db`.
struct SQLiteVerificationRepository: VerificationRepository {
    let database: SQLiteConnection

    func record(_ event: VerificationEvent) async throws {
        try await database.write { db in try db.execute(StoreStatements.insertVerification(event)) }
    }

    func recent(limit: Int) async throws -> [VerificationEvent] {
        try await database.read { db in
            try db.fetchAll(StoreStatements.recentVerifications(limit: limit)).map(VerificationEvent.init(row:))
        }
    }
}

/// `playbooks`, `playbook_runs` and `playbook_stats` in `grace.db`.
struct SQLitePlaybookRepository: PlaybookRepository {
    let database: SQLiteConnection

    func upsert(_ playbook: PlaybookRecord) async throws {
        try await database.write { db in try db.execute(StoreStatements.upsertPlaybook(playbook)) }
    }

    func playbooks() async throws -> [PlaybookRecord] {
        try await database.read { db in try db.fetchAll(StoreStatements.selectPlaybooks).map(PlaybookRecord.init(row:)) }
    }

    func record(_ run: PlaybookRun) async throws {
        try await database.write { db in try db.execute(StoreStatements.upsertPlaybookRun(run)) }
    }

    func runs(since timestamp: String?, limit: Int) async throws -> [PlaybookRun] {
        try await database.read { db in
            try db.fetchAll(StoreStatements.playbookRuns(since: timestamp, limit: limit)).map(PlaybookRun.init(row:))
        }
    }

    func countRuns(since timestamp: String, excluding excluded: [PlaybookRun.Status]) async throws -> Int {
        try await database.read { db in try db.count(StoreStatements.countPlaybookRuns(since: timestamp, excluding: excluded)) }
    }

    func executions(playbookID: String, patternID: String, since timestamp: String) async throws -> [PlaybookRun] {
        try await database.read { db in
            try db.fetchAll(StoreStatements.playbookExecutions(playbookID: playbookID, patternID: patternID, since: timestamp))
                .map(PlaybookRun.init(row:))
        }
    }

    func recordAttempt(playbookID: String, patternID: String, succeeded: Bool, at timestamp: String) async throws {
        try await database.write { db in
            try db.execute(StoreStatements.recordAttempt(playbookID: playbookID, patternID: patternID, succeeded: succeeded, at: timestamp))
        }
    }

    func stats() async throws -> [PlaybookStats] {
        try await database.read { db in try db.fetchAll(StoreStatements.selectStats).map(PlaybookStats.init(row:)) }
    }
}
