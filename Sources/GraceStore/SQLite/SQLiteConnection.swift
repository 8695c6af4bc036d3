import GRDB

/// One open SQLite file: its pool and its path, with errors translated to ``StoreError``.
struct SQLiteConnection: Sendable {
    let pool: DatabasePool
    let path: String

    func write<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do { return try await pool.write(body) } catch { throw StoreError.wrap(error, path: path) }
    }

    /// Outside a transaction: for statements SQLite refuses inside one (`VACUUM`, checkpoints, incremental vacuum).
    func writeWithoutTransaction<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do { return try await pool.writeWithoutTransaction(body) } catch { throw StoreError.wrap(error, path: path) }
    }

    func read<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do { return try await pool.read(body) } catch { throw StoreError.wrap(error, path: path) }
    }
}
