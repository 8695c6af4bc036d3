/// Errors the store reports; each names what is wrong so an operator can act on it.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The database was written by a newer Grace: it is left untouched.
    case newerSchema(path: String, unknownMigrations: [String])
    /// The file is not a usable SQLite database (garbage, truncated, corrupt).
    case damaged(path: String, reason: String)
    /// The file or its folder cannot be opened at all (permissions, read-only, I/O): not damage.
    case cannotOpen(path: String, reason: String)
    /// Another connection holds a lock on the file (busy or locked past the busy timeout): not
    /// damage, the file is healthy as far as anyone knows. `holders` names the processes that have it
    /// open, where they can be found.
    case locked(path: String, reason: String, holders: [String])
    /// A write found no space left: nothing of it was stored, and what was stored before is intact.
    case diskFull(path: String)
    /// A run, step, approval ... that does not exist.
    case notFound(kind: String, id: String)
    /// The request contradicts stored state (completing a completed run, an illegal status change).
    case conflict(String)
    /// A value the store refuses (bad status, empty id).
    case invalid(String)
    /// The database server cannot be reached (after retries); nothing of the call was stored.
    case unavailable(database: String, reason: String)

    public var description: String {
        switch self {
        case .newerSchema(let path, let unknown):
            "\(path) was created by a newer version of Grace (unknown migrations: \(unknown.joined(separator: ", "))); it was not modified. Upgrade Grace or point GRACE_HOME elsewhere."
        case .damaged(let path, let reason):
            "\(path) is damaged: \(reason). It was not modified; restore a snapshot (grace snapshot list) or move the file aside."
        case .cannotOpen(let path, let reason):
            "cannot open \(path): \(reason)"
        case .locked(let path, let reason, let holders):
            "\(path) is locked by another connection (\(reason))"
                + (holders.isEmpty ? "" : "; held open by " + holders.joined(separator: ", "))
                + ". It was not modified; stop the other process or wait, then retry."
        case .diskFull(let path):
            "cannot write \(path): the disk is full; the change was not stored (earlier data is intact). Free space and retry."
        case .notFound(let kind, let id):
            "\(kind) \(id) not found"
        case .conflict(let message), .invalid(let message):
            message
        case .unavailable(let database, let reason):
            "the database \(database) is unavailable (\(reason)); the change was not stored, retry later"
        }
    }
}
