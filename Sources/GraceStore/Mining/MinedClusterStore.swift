import Foundation
import GraceCore

/// Mined error clusters (`mined_clusters`): templates of failures no pattern matched, kept to
/// suggest new patterns. Bounded: past ``MinedClusterStatements/maxRows`` the least recently seen go.
public protocol MinedClusterRepository: Sendable {
    /// Adds each record to the stored one of the same template (or stores it), then trims the table.
    func record(_ clusters: [MinedClusterRecord]) async throws
    /// Most recently seen first.
    func clusters(limit: Int) async throws -> [MinedClusterRecord]
    func cluster(id: String) async throws -> MinedClusterRecord?
    /// Marks a cluster promoted to `patternID`; false when there is no such cluster.
    func markPromoted(id: String, patternID: String) async throws -> Bool
}

/// The table, the same in SQLite and PostgreSQL (text and integers only).
enum MinedClusterSchema {
    static let createTable = """
        CREATE TABLE mined_clusters (
            cluster_id TEXT PRIMARY KEY NOT NULL,
            template TEXT NOT NULL,
            normalised_hash TEXT NOT NULL,
            count BIGINT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            sources TEXT NOT NULL,
            examples TEXT NOT NULL,
            promoted_pattern_id TEXT
        )
        """
}

/// The SQL both backends run for `mined_clusters`.
enum MinedClusterStatements {
    static let maxRows = 1_000

    static func select(id: String) -> SQLStatement {
        SQLStatement("SELECT * FROM mined_clusters WHERE cluster_id = ?", [.text(id)])
    }

    static func recent(limit: Int) -> SQLStatement {
        SQLStatement("SELECT * FROM mined_clusters ORDER BY last_seen DESC, count DESC, cluster_id LIMIT ?", [SQLValue(max(0, limit))])
    }

    static func upsert(_ record: MinedClusterRecord) throws -> SQLStatement {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let sources = String(decoding: try encoder.encode(record.sources), as: UTF8.self)
        let examples = String(decoding: try encoder.encode(record.examples), as: UTF8.self)
        return SQLStatement("""
            INSERT INTO mined_clusters (cluster_id, template, normalised_hash, count, first_seen, last_seen, sources, examples,
                promoted_pattern_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (cluster_id) DO UPDATE SET count = excluded.count, first_seen = excluded.first_seen,
                last_seen = excluded.last_seen, sources = excluded.sources, examples = excluded.examples,
                promoted_pattern_id = excluded.promoted_pattern_id
            """, [.text(record.clusterID), .text(record.template), .text(record.normalisedHash), SQLValue(record.count),
                  .text(record.firstSeen), .text(record.lastSeen), .text(sources), .text(examples), SQLValue(record.promotedPatternID)])
    }

    static var trim: SQLStatement {
        SQLStatement("""
            DELETE FROM mined_clusters WHERE cluster_id NOT IN
                (SELECT cluster_id FROM mined_clusters ORDER BY last_seen DESC, count DESC, cluster_id LIMIT ?)
            """, [SQLValue(maxRows)])
    }

    static func promote(id: String, patternID: String) -> SQLStatement {
        SQLStatement("UPDATE mined_clusters SET promoted_pattern_id = ? WHERE cluster_id = ?", [.text(patternID), .text(id)])
    }
}

extension MinedClusterRecord {
    init(row: some StoreRow) throws {
        let decoder = JSONDecoder()
        let sources = try decoder.decode([String].self, from: Data(try row.required("sources").utf8))
        let examples = try decoder.decode([Example].self, from: Data(try row.required("examples").utf8))
        self.init(template: try row.required("template"), count: try row.count("count"), firstSeen: try row.required("first_seen"),
                  lastSeen: try row.required("last_seen"), sources: sources, examples: examples,
                  promotedPatternID: try row.text("promoted_pattern_id"))
        normalisedHash = try row.required("normalised_hash")
    }
}

/// `mined_clusters` in `grace.db`.
struct SQLiteMinedClusterRepository: MinedClusterRepository {
    let database: SQLiteConnection

    func record(_ clusters: [MinedClusterRecord]) async throws {
        guard !clusters.isEmpty else { return }
        try await database.write { db in
            for cluster in clusters {
                let stored = try db.fetchOne(MinedClusterStatements.select(id: cluster.clusterID)).map(MinedClusterRecord.init(row:))
                try db.execute(try MinedClusterStatements.upsert(stored.map { $0.merged(with: cluster) } ?? cluster))
            }
            try db.execute(MinedClusterStatements.trim)
        }
    }

    func clusters(limit: Int) async throws -> [MinedClusterRecord] {
        try await database.read { db in try db.fetchAll(MinedClusterStatements.recent(limit: limit)).map(MinedClusterRecord.init(row:)) }
    }

    func cluster(id: String) async throws -> MinedClusterRecord? {
        try await database.read { db in try db.fetchOne(MinedClusterStatements.select(id: id)).map(MinedClusterRecord.init(row:)) }
    }

    func markPromoted(id: String, patternID: String) async throws -> Bool {
        try await database.write { db in
            try db.execute(MinedClusterStatements.promote(id: id, patternID: patternID))
            return db.changesCount > 0
        }
    }
}

/// `mined_clusters` in PostgreSQL.
struct PostgresMinedClusterRepository: MinedClusterRepository {
    let database: PostgresDatabase

    func record(_ clusters: [MinedClusterRecord]) async throws {
        guard !clusters.isEmpty else { return }
        try await database.transaction { session in
            for cluster in clusters {
                let stored = try await session.fetchOne(MinedClusterStatements.select(id: cluster.clusterID), MinedClusterRecord.init(row:))
                try await session.execute(try MinedClusterStatements.upsert(stored.map { $0.merged(with: cluster) } ?? cluster))
            }
            try await session.execute(MinedClusterStatements.trim)
        }
    }

    func clusters(limit: Int) async throws -> [MinedClusterRecord] {
        try await database.read { session in try await session.fetchAll(MinedClusterStatements.recent(limit: limit), MinedClusterRecord.init(row:)) }
    }

    func cluster(id: String) async throws -> MinedClusterRecord? {
        try await database.read { session in try await session.fetchOne(MinedClusterStatements.select(id: id), MinedClusterRecord.init(row:)) }
    }

    func markPromoted(id: String, patternID: String) async throws -> Bool {
        try await database.transaction { session in
            let exists = try await session.fetchOne(MinedClusterStatements.select(id: id)) { _ in true } ?? false
            if exists { try await session.execute(MinedClusterStatements.promote(id: id, patternID: patternID)) }
            return exists
        }
    }
}
