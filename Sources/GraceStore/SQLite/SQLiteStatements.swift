import GRDB
import GraceCore

/// Runs the shared ``SQLStatement``s on a GRDB connection, and reads GRDB rows as ``StoreRow``s.
extension Database {
    func execute(_ statement: SQLStatement) throws {
        try execute(sql: statement.sql, arguments: StatementArguments(statement.arguments.map(\.databaseValue)))
    }

    /// Runs a statement compiled once per connection: for the few fixed statements a hot path
    /// repeats (a span's upsert, hundreds of times per OTLP request).
    func executeCached(_ statement: SQLStatement) throws {
        try cachedStatement(sql: statement.sql).execute(arguments: StatementArguments(statement.arguments.map(\.databaseValue)))
    }

    func fetchAll(_ statement: SQLStatement) throws -> [Row] {
        try Row.fetchAll(self, sql: statement.sql, arguments: StatementArguments(statement.arguments.map(\.databaseValue)))
    }

    func fetchOne(_ statement: SQLStatement) throws -> Row? {
        try Row.fetchOne(self, sql: statement.sql, arguments: StatementArguments(statement.arguments.map(\.databaseValue)))
    }

    /// The single number a `SELECT COUNT(*) ...` statement returns.
    func count(_ statement: SQLStatement) throws -> Int {
        try Int.fetchOne(self, sql: statement.sql, arguments: StatementArguments(statement.arguments.map(\.databaseValue))) ?? 0
    }
}

extension SQLValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .text(let value): value.databaseValue
        }
    }
}

extension Row: StoreRow {
    func text(_ column: String) throws -> String? { self[column] }
    func integer(_ column: String) throws -> Int64? { self[column] }
    func real(_ column: String) throws -> Double? { self[column] }
}

extension TimelineStep {
    /// A row of ``selection``, read by index: looking columns up by name was a quarter of a
    /// 1,000-step timeline request on SQLite.
    init(indexedRow row: Row) throws {
        let status: String = row[6]
        guard let known = Status(rawValue: status) else {
            throw StoreError.invalid("stored status \"\(status)\" is not a known \(Status.self)")
        }
        let details: String? = row[8]
        self.init(stepID: row[0], runID: row[1], timestamp: row[2], endedAt: row[11], stepType: row[3], subsystem: row[4], description: row[5],
                  status: known, durationMS: row[7], details: details.flatMap { JSONValue(jsonText: $0) },
                  playbookID: row[9], verificationID: row[10], spanID: row[12], parentSpanID: row[13])
    }
}
