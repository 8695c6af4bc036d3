import Foundation
import GraceCore

/// One record per alert and sink (`alert_deliveries`): what was sent where, how often, and how it
/// ended. The key (event, sink) makes every alert at most one record, whichever node found it first.
public protocol AlertDeliveryRepository: Sendable {
    /// Records each event for each sink unless already recorded; returns the records added.
    @discardableResult
    func enqueue(_ events: [AlertEvent], sinks: [String], at timestamp: String) async throws -> Int
    /// Leases up to `limit` pending records of `sinks` that are due at `now` and that nobody holds a
    /// live lease on, to `owner` until `leaseUntil`: of several nodes polling at once, one gets each.
    func claim(sinks: [String], owner: String, now: String, leaseUntil: String, limit: Int) async throws -> [AlertDelivery]
    /// Ends `owner`'s lease with how the send went (one attempt more); false when the lease was no longer `owner`'s.
    func finish(eventKey: String, sink: String, owner: String, _ attempt: AlertDelivery.Attempt) async throws -> Bool
    /// Most recently changed first.
    func deliveries(status: AlertDelivery.Status?, limit: Int) async throws -> [AlertDelivery]
    /// Records per sink and status, counted by the database.
    func counts() async throws -> [AlertDeliveryCount]
}

/// How many records of one sink have one status.
public struct AlertDeliveryCount: Sendable, Equatable {
    public var sink: String
    public var status: AlertDelivery.Status
    public var count: Int

    public init(sink: String, status: AlertDelivery.Status, count: Int) {
        self.sink = sink
        self.status = status
        self.count = count
    }
}

/// The table, the same in SQLite and PostgreSQL (text and integers only).
enum AlertDeliverySchema {
    static let statements = [
        """
        CREATE TABLE alert_deliveries (
            event_key TEXT NOT NULL,
            sink TEXT NOT NULL,
            kind TEXT NOT NULL,
            event TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending','delivered','failed')),
            attempts BIGINT NOT NULL DEFAULT 0,
            last_error TEXT,
            last_http_status BIGINT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            next_attempt_at TEXT NOT NULL,
            delivered_at TEXT,
            lease_owner TEXT,
            lease_until TEXT,
            node_id TEXT,
            PRIMARY KEY (event_key, sink)
        )
        """,
        "CREATE INDEX alert_deliveries_due ON alert_deliveries(status, next_attempt_at)",
        "CREATE INDEX alert_deliveries_updated ON alert_deliveries(updated_at)",
    ]
}

/// The SQL both backends run for `alert_deliveries`.
enum AlertDeliveryStatements {
    static func insert(_ event: AlertEvent, sink: String, at timestamp: String, nodeID: String?) throws -> SQLStatement {
        let text = String(decoding: try JSONEncoder.graceCompact.encode(event), as: UTF8.self)
        return SQLStatement("""
            INSERT INTO alert_deliveries (event_key, sink, kind, event, status, attempts, created_at, updated_at, next_attempt_at, node_id)
            VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?)
            ON CONFLICT (event_key, sink) DO NOTHING
            """, [.text(event.key), .text(sink), .text(event.kind.rawValue), .text(text), .text(timestamp), .text(timestamp),
                  .text(timestamp), SQLValue(nodeID)])
    }

    static func due(sinks: [String], now: String, limit: Int, _ dialect: SQLDialect) -> SQLStatement {
        let placeholders = sinks.map { _ in "?" }.joined(separator: ", ")
        return SQLStatement("""
            SELECT * FROM alert_deliveries
            WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?) AND sink IN (\(placeholders))
            ORDER BY next_attempt_at, event_key, sink LIMIT ?
            """ + dialect.lockSkippingLocked, [.text(now), .text(now)] + sinks.map(SQLValue.text) + [SQLValue(max(0, limit))])
    }

    static func lease(eventKey: String, sink: String, owner: String, until: String) -> SQLStatement {
        SQLStatement("UPDATE alert_deliveries SET lease_owner = ?, lease_until = ? WHERE event_key = ? AND sink = ?",
                     [.text(owner), .text(until), .text(eventKey), .text(sink)])
    }

    static func finish(eventKey: String, sink: String, owner: String, _ attempt: AlertDelivery.Attempt) -> SQLStatement {
        SQLStatement("""
            UPDATE alert_deliveries SET status = ?, attempts = attempts + 1, last_error = ?, last_http_status = ?, updated_at = ?,
                next_attempt_at = ?, delivered_at = ?, lease_owner = NULL, lease_until = NULL
            WHERE event_key = ? AND sink = ? AND lease_owner = ? AND status = 'pending'
            """, [.text(attempt.status.rawValue), SQLValue(attempt.error), SQLValue(attempt.httpStatus), .text(attempt.at),
                  .text(attempt.retryAt ?? attempt.at), SQLValue(attempt.status == .delivered ? attempt.at : nil),
                  .text(eventKey), .text(sink), .text(owner)])
    }

    static func list(status: AlertDelivery.Status?, limit: Int) -> SQLStatement {
        let filter = status == nil ? "" : " WHERE status = ?"
        return SQLStatement("SELECT * FROM alert_deliveries\(filter) ORDER BY updated_at DESC, event_key, sink LIMIT ?",
                            (status.map { [SQLValue.text($0.rawValue)] } ?? []) + [SQLValue(max(0, limit))])
    }

    static let counts = SQLStatement("SELECT sink, status, COUNT(*) AS n FROM alert_deliveries GROUP BY sink, status ORDER BY sink, status")
}

extension AlertDelivery {
    init(row: some StoreRow) throws {
        let event = try JSONDecoder().decode(AlertEvent.self, from: Data(try row.required("event").utf8))
        self.init(event: event, sink: try row.required("sink"), status: try row.enumValue("status", as: Status.self),
                  attempts: try row.count("attempts"), lastError: try row.text("last_error"),
                  lastHTTPStatus: try row.integer("last_http_status").map { Int($0) }, createdAt: try row.required("created_at"),
                  updatedAt: try row.required("updated_at"), nextAttemptAt: try row.required("next_attempt_at"),
                  deliveredAt: try row.text("delivered_at"), nodeID: try row.text("node_id"))
    }
}

extension AlertDeliveryCount {
    init(row: some StoreRow) throws {
        self.init(sink: try row.required("sink"), status: try row.enumValue("status", as: AlertDelivery.Status.self), count: try row.count("n"))
    }
}

/// `alert_deliveries` in `grace.db`: a write transaction holds the database's write lock, so a claim is whole.
struct SQLiteAlertDeliveryRepository: AlertDeliveryRepository {
    let database: SQLiteConnection
    let nodeID: String?

    func enqueue(_ events: [AlertEvent], sinks: [String], at timestamp: String) async throws -> Int {
        guard !events.isEmpty, !sinks.isEmpty else { return 0 }
        return try await database.write { [nodeID] db in
            var added = 0
            for event in events {
                for sink in sinks {
                    try db.execute(try AlertDeliveryStatements.insert(event, sink: sink, at: timestamp, nodeID: nodeID))
                    added += db.changesCount
                }
            }
            return added
        }
    }

    func claim(sinks: [String], owner: String, now: String, leaseUntil: String, limit: Int) async throws -> [AlertDelivery] {
        guard !sinks.isEmpty else { return [] }
        return try await database.write { db in
            let due = try db.fetchAll(AlertDeliveryStatements.due(sinks: sinks, now: now, limit: limit, .sqlite)).map(AlertDelivery.init(row:))
            for delivery in due {
                try db.execute(AlertDeliveryStatements.lease(eventKey: delivery.eventKey, sink: delivery.sink, owner: owner, until: leaseUntil))
            }
            return due
        }
    }

    func finish(eventKey: String, sink: String, owner: String, _ attempt: AlertDelivery.Attempt) async throws -> Bool {
        try await database.write { db in
            try db.execute(AlertDeliveryStatements.finish(eventKey: eventKey, sink: sink, owner: owner, attempt))
            return db.changesCount == 1
        }
    }

    func deliveries(status: AlertDelivery.Status?, limit: Int) async throws -> [AlertDelivery] {
        try await database.read { db in try db.fetchAll(AlertDeliveryStatements.list(status: status, limit: limit)).map(AlertDelivery.init(row:)) }
    }

    func counts() async throws -> [AlertDeliveryCount] {
        try await database.read { db in try db.fetchAll(AlertDeliveryStatements.counts).map(AlertDeliveryCount.init(row:)) }
    }
}

/// `alert_deliveries` in PostgreSQL: a claim reads with `FOR UPDATE SKIP LOCKED`, so two nodes
/// claiming at once take different records.
struct PostgresAlertDeliveryRepository: AlertDeliveryRepository {
    let database: PostgresDatabase
    let nodeID: String?

    func enqueue(_ events: [AlertEvent], sinks: [String], at timestamp: String) async throws -> Int {
        guard !events.isEmpty, !sinks.isEmpty else { return 0 }
        return try await database.transaction { [nodeID] session in
            var added = 0
            for event in events {
                for sink in sinks {
                    var insert = try AlertDeliveryStatements.insert(event, sink: sink, at: timestamp, nodeID: nodeID)
                    insert.sql += " RETURNING 1 AS added"
                    added += try await session.fetchAll(insert) { _ in 1 }.count
                }
            }
            return added
        }
    }

    func claim(sinks: [String], owner: String, now: String, leaseUntil: String, limit: Int) async throws -> [AlertDelivery] {
        guard !sinks.isEmpty else { return [] }
        return try await database.transaction { session in
            let due = try await session.fetchAll(AlertDeliveryStatements.due(sinks: sinks, now: now, limit: limit, .postgres), AlertDelivery.init(row:))
            for delivery in due {
                try await session.execute(AlertDeliveryStatements.lease(eventKey: delivery.eventKey, sink: delivery.sink, owner: owner, until: leaseUntil))
            }
            return due
        }
    }

    func finish(eventKey: String, sink: String, owner: String, _ attempt: AlertDelivery.Attempt) async throws -> Bool {
        try await database.transaction { session in
            var update = AlertDeliveryStatements.finish(eventKey: eventKey, sink: sink, owner: owner, attempt)
            update.sql += " RETURNING 1 AS finished"
            return try await session.fetchAll(update) { _ in true }.count == 1
        }
    }

    func deliveries(status: AlertDelivery.Status?, limit: Int) async throws -> [AlertDelivery] {
        try await database.read { session in try await session.fetchAll(AlertDeliveryStatements.list(status: status, limit: limit), AlertDelivery.init(row:)) }
    }

    func counts() async throws -> [AlertDeliveryCount] {
        try await database.read { session in try await session.fetchAll(AlertDeliveryStatements.counts, AlertDeliveryCount.init(row:)) }
    }
}
