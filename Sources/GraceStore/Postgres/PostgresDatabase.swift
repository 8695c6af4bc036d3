import GraceCore
import Logging
import PostgresNIO

/// One PostgreSQL database behind a connection pool, with the two ways Grace uses it: a
/// transaction for writes, a plain connection for reads. A lost connection (the server restarted)
/// is retried with backoff; when it does not come back the call fails with
/// ``StoreError/unavailable(database:reason:)`` and nothing of it was committed.
struct PostgresDatabase: Sendable {
    let client: PostgresClient
    let location: DatabaseURL
    let logger: Logger
    /// Pauses between attempts; their sum bounds how long a caller waits for the server to return.
    var backoff: [Duration] = [.milliseconds(50), .milliseconds(100), .milliseconds(200), .milliseconds(400),
                               .milliseconds(800), .milliseconds(1600), .milliseconds(3200)]

    func transaction<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        try await retrying {
            do {
                return try await client.withTransaction(logger: logger) { connection in
                    try await body(PostgresSession(connection: connection, logger: logger))
                }
            } catch let error as PostgresTransactionError {
                // What went wrong first is what the caller acts on (a rule the body enforced, a lost connection).
                throw error.closureError ?? error.beginError ?? error.commitError ?? error
            }
        }
    }

    func read<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        try await retrying {
            try await client.withConnection { connection in
                try await body(PostgresSession(connection: connection, logger: logger))
            }
        }
    }

    private func retrying<T: Sendable>(_ attempt: () async throws -> T) async throws -> T {
        var pauses = backoff[...]
        while true {
            do {
                return try await attempt()
            } catch {
                let failure = Self.classify(error)
                guard case .transient(let reason) = failure else {
                    if case .final(let mapped) = failure { throw mapped }
                    throw error
                }
                guard let pause = pauses.popFirst() else {
                    throw StoreError.unavailable(database: location.description, reason: reason)
                }
                logger.warning("database call failed, retrying", metadata: [
                    "subsystem": "store", "database": "\(location)", "error": "\(reason)", "retry_in": "\(pause)"])
                try await Task.sleep(for: pause)
            }
        }
    }

    enum Failure {
        /// Worth another attempt: the connection went away or the server is starting or stopping.
        case transient(String)
        /// A definite answer from the server, translated for the caller.
        case final(any Error)
        case other
    }

    static func classify(_ error: any Error) -> Failure {
        if error is StoreError { return .other }
        guard let error = error as? PSQLError else {
            // The pool reports connection failures with its own error types.
            return "\(type(of: error))".contains("ConnectionPool") ? .transient("\(error)") : .other
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed:
            return .transient(Self.reason(error))
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "server error \(state)"
            // 08: connection exception; 57P: operator intervention (shutdown, starting up); 40: serialisation.
            if state.hasPrefix("08") || state.hasPrefix("57P") || state == "40001" || state == "40P01" {
                return .transient(message)
            }
            switch state {
            case "23505": return .final(StoreError.conflict(message))
            case "23502", "23503", "23514", "22P02": return .final(StoreError.invalid(message))
            default: return .final(StoreError.invalid("database refused the change: \(message) (SQLSTATE \(state))"))
            }
        default:
            return .other
        }
    }

    private static func reason(_ error: PSQLError) -> String {
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}

/// Runs shared ``SQLStatement``s on one leased connection.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    func fetchAll<T>(_ statement: SQLStatement, _ map: (PostgresStoreRow) throws -> T) async throws -> [T] {
        let rows = try await connection.query(statement.postgresQuery, logger: logger)
        var values: [T] = []
        for try await row in rows { values.append(try map(PostgresStoreRow(row: row.makeRandomAccess()))) }
        return values
    }

    func fetchOne<T>(_ statement: SQLStatement, _ map: (PostgresStoreRow) throws -> T) async throws -> T? {
        try await fetchAll(statement, map).first
    }

    /// Runs a statement and reads any rows it returns to the end, so the connection is free for the next.
    func execute(_ statement: SQLStatement) async throws {
        for try await _ in try await connection.query(statement.postgresQuery, logger: logger) {}
    }

    /// Runs `sql` as it is (migrations): no parameters.
    func execute(raw sql: String) async throws {
        for try await _ in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {}
    }
}

/// A PostgreSQL row read by column name; columns a query did not select read as NULL, as in GRDB.
struct PostgresStoreRow: StoreRow {
    let row: PostgresRandomAccessRow

    func text(_ column: String) throws -> String? {
        guard row.contains(column) else { return nil }
        return try row[column].decode(String?.self)
    }

    func integer(_ column: String) throws -> Int64? {
        guard row.contains(column) else { return nil }
        return try row[column].decode(Int64?.self)
    }

    func real(_ column: String) throws -> Double? {
        guard row.contains(column) else { return nil }
        return try row[column].decode(Double?.self)
    }
}

extension SQLStatement {
    var postgresQuery: PostgresQuery {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .real(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            }
        }
        return PostgresQuery(unsafeSQL: numberedPlaceholders, binds: bindings)
    }
}
