import GraceCore
import Logging
import PostgresNIO
import Synchronization

/// One PostgreSQL database behind a connection pool, with the two ways Grace uses it: a
/// transaction for writes, a plain connection for reads. A lost connection (the server restarted)
/// is retried with backoff; when it does not come back the call fails with
/// ``StoreError/unavailable(database:reason:)`` and nothing of it was committed.
///
/// Every call has a deadline (``callTimeout``, retries included). postgres-nio waits for a pooled
/// connection as long as it takes, and a query sent to a server that stopped answering waits for
/// TCP to give up; without the deadline a request would hang and hold up shutdown.
struct PostgresDatabase: Sendable {
    let client: PostgresClient
    let location: DatabaseURL
    let logger: Logger
    /// Pauses between attempts.
    var backoff: [Duration] = [.milliseconds(50), .milliseconds(100), .milliseconds(200), .milliseconds(400),
                               .milliseconds(800), .milliseconds(1600), .milliseconds(3200)]
    /// How long one call may take, all attempts together, before it fails as unavailable.
    var callTimeout: Duration = PostgresStore.defaultCallTimeout

    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) async throws -> T) async throws -> T {
        try await retrying { watch in
            do {
                return try await client.withTransaction(logger: logger) { connection in
                    try watch.leased(connection)
                    return try await body(PostgresSession(connection: connection, logger: logger))
                }
            } catch let error as PostgresTransactionError {
                // What went wrong first is what the caller acts on (a rule the body enforced, a lost connection).
                throw error.closureError ?? error.beginError ?? error.commitError ?? error
            }
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) async throws -> T) async throws -> T {
        try await retrying { watch in
            try await client.withConnection { connection in
                try watch.leased(connection)
                return try await body(PostgresSession(connection: connection, logger: logger))
            }
        }
    }

    private func retrying<T: Sendable>(_ attempt: @escaping @Sendable (ConnectionWatch) async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now.advanced(by: callTimeout)
        var pauses = backoff[...]
        while true {
            do {
                return try await bounded(until: deadline, attempt)
            } catch is DeadlineExceeded {
                throw StoreError.unavailable(database: location.description,
                                             reason: "no answer within \(callTimeout.formatted(.units(allowed: [.seconds, .milliseconds])))")
            } catch {
                let failure = Self.classify(error)
                guard case .transient(let raw) = failure else {
                    if case .final(let mapped) = failure { throw redacted(mapped) }
                    throw error
                }
                // Driver texts name the server's address and the user: the reason may reach an API answer.
                let reason = location.redacting(raw)
                guard let pause = pauses.popFirst(), ContinuousClock.now.advanced(by: pause) < deadline else {
                    throw StoreError.unavailable(database: location.description, reason: reason)
                }
                logger.warning("database call failed, retrying", metadata: [
                    "subsystem": "store", "database": "\(location)", "error": "\(reason)", "retry_in": "\(pause)"])
                try await Task.sleep(for: pause)
            }
        }
    }

    /// Runs one attempt, racing it against `deadline`. When the deadline comes first the attempt is
    /// cancelled (which ends a wait for a pooled connection), its connection is closed (which ends
    /// a query the server never answers), and the caller gets ``DeadlineExceeded`` at once, without
    /// waiting for the attempt to wind down: postgres-nio has waits that cancellation does not reach
    /// (seen as requests hanging for good while PostgreSQL restarted), and a request that never
    /// ends also holds up the server's graceful shutdown.
    private func bounded<T: Sendable>(until deadline: ContinuousClock.Instant,
                                      _ attempt: @escaping @Sendable (ConnectionWatch) async throws -> T) async throws -> T {
        let watch = ConnectionWatch()
        let work = Task { try await attempt(watch) }
        let outcome = FirstOutcome<T>()
        let logger = logger
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.install(continuation)
                let timer = Task {
                    guard (try? await Task.sleep(until: deadline)) != nil else { return }
                    guard outcome.resolve(.failure(DeadlineExceeded())) else { return }
                    logger.warning("database call passed its deadline; abandoning it",
                                   metadata: ["subsystem": "store", "event_type": "store_deadline"])
                    watch.expire()
                    work.cancel()
                }
                Task {
                    let result = await work.result
                    timer.cancel()
                    outcome.resolve(result)
                }
            }
        } onCancel: {
            work.cancel()
            outcome.resolve(.failure(CancellationError()))
        }
    }

    struct DeadlineExceeded: Error {}

    /// A store error whose text came from the server, with this URL's user, host and password taken out.
    private func redacted(_ error: any Error) -> any Error {
        switch error as? StoreError {
        case .conflict(let message): StoreError.conflict(location.redacting(message))
        case .invalid(let message): StoreError.invalid(location.redacting(message))
        default: error
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

/// Hands a caller the first of several outcomes (an attempt's result, its deadline, the caller's
/// cancellation); later ones are dropped.
final class FirstOutcome<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var early: Result<T, any Error>?
        var resolved = false
    }

    private let state = Mutex(State())

    func install(_ continuation: CheckedContinuation<T, any Error>) {
        let early: Result<T, any Error>? = state.withLock { state in
            if let early = state.early { return early }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    /// True when this outcome was the first.
    @discardableResult
    func resolve(_ result: Result<T, any Error>) -> Bool {
        let (first, continuation): (Bool, CheckedContinuation<T, any Error>?) = state.withLock { state in
            guard !state.resolved else { return (false, nil) }
            state.resolved = true
            guard let continuation = state.continuation else {
                // Cancelled before the continuation was installed: install resumes with it.
                state.early = result
                return (true, nil)
            }
            state.continuation = nil
            return (true, continuation)
        }
        continuation?.resume(with: result)
        return first
    }
}

/// The connection one attempt leased, so a deadline can close it under a query that hangs.
final class ConnectionWatch: Sendable {
    private struct State {
        var connection: PostgresConnection?
        var expired = false
    }

    private let state = Mutex(State())

    /// Notes the leased connection; throws when the deadline already passed (and closes it).
    func leased(_ connection: PostgresConnection) throws {
        let expired = state.withLock { state in
            state.connection = connection
            return state.expired
        }
        if expired {
            _ = connection.close() as EventLoopFuture<Void>
            throw PostgresDatabase.DeadlineExceeded()
        }
    }

    func expire() {
        let connection = state.withLock { state in
            state.expired = true
            return state.connection
        }
        if let connection { _ = connection.close() as EventLoopFuture<Void> }
    }
}

/// Runs shared ``SQLStatement``s on one leased connection.
struct PostgresSession: Sendable {
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

    /// The single number a `SELECT COUNT(*) AS n ...` statement returns.
    func count(_ statement: SQLStatement) async throws -> Int {
        let value = try await fetchOne(statement) { try $0.integer("n") }
        return Int((value ?? nil) ?? 0)
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
