import GraceCore

/// The store's change feed (`change_feed`): a numbered row for every run, step and approval
/// written, added by triggers in the writing transaction, so every writer on every node is seen.
/// What a live view follows (`GET /api/events`); the feed keeps about the newest
/// ``ChangeFeedSchema/kept`` changes, and readers needing older ones start again from the state.
public protocol ChangeFeed: Sendable {
    /// Up to `limit` changes numbered after `sequence`, in order.
    func changes(after sequence: Int64, limit: Int) async throws -> [StoreChange]
    /// The lowest and highest numbers kept (nil, nil while the feed is empty).
    func bounds() async throws -> ChangeFeedBounds
}

public struct ChangeFeedBounds: Sendable, Equatable {
    public var oldest: Int64?
    public var latest: Int64?

    public init(oldest: Int64?, latest: Int64?) {
        self.oldest = oldest
        self.latest = latest
    }
}

/// The table and its triggers, per backend (the columns are the same in both).
enum ChangeFeedSchema {
    /// About how many changes the feed keeps: each thousandth insert deletes those older than this.
    static let kept: Int64 = 10_000

    /// Which columns of a run make a change worth showing: not `steps_version`, which each step
    /// write moves (a step change is recorded as one already).
    static let runColumns = "status, ended_at, body, playbooks_executed, verifications_passed, verifications_failed"

    static let sqlite = """
        CREATE TABLE change_feed (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            run_id TEXT
        );
        CREATE TRIGGER change_feed_run_insert AFTER INSERT ON agent_runs BEGIN
            INSERT INTO change_feed (kind, entity_id, run_id) VALUES ('run', NEW.run_id, NEW.run_id);
        END;
        CREATE TRIGGER change_feed_run_update AFTER UPDATE OF \(runColumns) ON agent_runs BEGIN
            INSERT INTO change_feed (kind, entity_id, run_id) VALUES ('run', NEW.run_id, NEW.run_id);
        END;
        CREATE TRIGGER change_feed_step_insert AFTER INSERT ON agent_steps BEGIN
            INSERT INTO change_feed (kind, entity_id, run_id) VALUES ('step', NEW.step_id, NEW.run_id);
        END;
        CREATE TRIGGER change_feed_step_update AFTER UPDATE ON agent_steps BEGIN
            INSERT INTO change_feed (kind, entity_id, run_id) VALUES ('step', NEW.step_id, NEW.run_id);
        END;
        CREATE TRIGGER change_feed_approval_insert AFTER INSERT ON approval_requests BEGIN
            INSERT INTO change_feed (kind, entity_id, run_id) VALUES ('approval', NEW.event_id, NULL);
        END;
        CREATE TRIGGER change_feed_approval_update AFTER UPDATE OF status ON approval_requests BEGIN
            INSERT INTO change_feed (kind, entity_id, run_id) VALUES ('approval', NEW.event_id, NULL);
        END;
        CREATE TRIGGER change_feed_bound AFTER INSERT ON change_feed WHEN NEW.seq % 1000 = 0 BEGIN
            DELETE FROM change_feed WHERE seq <= NEW.seq - \(kept);
        END;
        """

    static let postgres = [
        "CREATE TABLE change_feed (seq BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, entity_id TEXT NOT NULL, run_id TEXT)",
        """
        CREATE FUNCTION grace_change_feed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_TABLE_NAME = 'agent_runs' THEN
                INSERT INTO change_feed (kind, entity_id, run_id) VALUES ('run', NEW.run_id, NEW.run_id);
            ELSIF TG_TABLE_NAME = 'agent_steps' THEN
                INSERT INTO change_feed (kind, entity_id, run_id) VALUES ('step', NEW.step_id, NEW.run_id);
            ELSE
                INSERT INTO change_feed (kind, entity_id, run_id) VALUES ('approval', NEW.event_id, NULL);
            END IF;
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE FUNCTION grace_change_feed_bound() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM change_feed WHERE seq <= NEW.seq - \(kept);
            RETURN NULL;
        END
        $$
        """,
        "CREATE TRIGGER change_feed_bound AFTER INSERT ON change_feed FOR EACH ROW WHEN (NEW.seq % 1000 = 0) EXECUTE FUNCTION grace_change_feed_bound()",
        "CREATE TRIGGER change_feed_runs AFTER INSERT OR UPDATE OF \(runColumns) ON agent_runs FOR EACH ROW EXECUTE FUNCTION grace_change_feed()",
        "CREATE TRIGGER change_feed_steps AFTER INSERT OR UPDATE ON agent_steps FOR EACH ROW EXECUTE FUNCTION grace_change_feed()",
        "CREATE TRIGGER change_feed_approvals AFTER INSERT OR UPDATE OF status ON approval_requests FOR EACH ROW EXECUTE FUNCTION grace_change_feed()",
    ]
}

enum ChangeFeedStatements {
    static func changes(after sequence: Int64, limit: Int) -> SQLStatement {
        SQLStatement("SELECT seq, kind, entity_id, run_id FROM change_feed WHERE seq > ? ORDER BY seq LIMIT ?",
                     [SQLValue(sequence), SQLValue(max(0, limit))])
    }

    static let bounds = SQLStatement("SELECT MIN(seq) AS oldest, MAX(seq) AS latest FROM change_feed", [])
}

extension StoreChange {
    init(row: some StoreRow) throws {
        guard let sequence = try row.integer("seq") else { throw StoreError.invalid("stored change_feed.seq is missing") }
        self.init(sequence: sequence, kind: try row.enumValue("kind", as: Kind.self), entityID: try row.required("entity_id"),
                  runID: try row.text("run_id"))
    }
}

extension ChangeFeedBounds {
    init(row: (some StoreRow)?) throws {
        self.init(oldest: try row?.integer("oldest"), latest: try row?.integer("latest"))
    }
}

struct SQLiteChangeFeed: ChangeFeed {
    let database: SQLiteConnection

    func changes(after sequence: Int64, limit: Int) async throws -> [StoreChange] {
        try await database.read { db in try db.fetchAll(ChangeFeedStatements.changes(after: sequence, limit: limit)).map(StoreChange.init(row:)) }
    }

    func bounds() async throws -> ChangeFeedBounds {
        try await database.read { db in try ChangeFeedBounds(row: try db.fetchOne(ChangeFeedStatements.bounds)) }
    }
}

struct PostgresChangeFeed: ChangeFeed {
    let database: PostgresDatabase

    func changes(after sequence: Int64, limit: Int) async throws -> [StoreChange] {
        try await database.read { session in
            try await session.fetchAll(ChangeFeedStatements.changes(after: sequence, limit: limit), StoreChange.init(row:))
        }
    }

    func bounds() async throws -> ChangeFeedBounds {
        try await database.read { session in
            try await session.fetchOne(ChangeFeedStatements.bounds) { try ChangeFeedBounds(row: $0) } ?? ChangeFeedBounds(oldest: nil, latest: nil)
        }
    }
}
