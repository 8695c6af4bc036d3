import Foundation
import GRDB

/// Rows per table of a SQLite file, for telling an operator what a restore would replace.
enum DatabaseRowCounts {
    /// Table name to its row count, nil for a table whose rows cannot be read (a damaged page).
    /// Throws when the file cannot be opened or its schema cannot be read at all. Opens the file
    /// read-write (a WAL beside it is recovered), so pass a private copy, never a live file.
    static func count(at path: String) throws -> [String: Int?] {
        var configuration = Configuration()
        configuration.busyMode = .timeout(1)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            var counts: [String: Int?] = [:]
            for table in tables {
                counts[table] = try? Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)")
            }
            return counts
        }
    }
}
