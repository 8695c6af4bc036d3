import Foundation

/// Another process on one of Grace's SQLite files (Python's sqlite3 module): it commits `rows`
/// rows into a table of its own with automatic checkpoints off (so they sit in the `-wal` only),
/// then takes and holds a lock until `release()`, or until the test process goes away (it waits
/// on its standard input).
final class SQLiteLocker {
    enum Mode: String, Sendable {
        /// `PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE`: nobody else can even read.
        case exclusive
        /// A plain `BEGIN EXCLUSIVE` on a WAL database: readers go on, writers wait.
        case beginExclusive = "begin_exclusive"
        /// Commit, then die without closing (as a crash would): the rows stay in the `-wal`.
        case crash

        static let locking: [Mode] = [.exclusive, .beginExclusive]
    }

    static let script = #"""
    import os, sqlite3, sys
    path, mode, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    con = sqlite3.connect(path, isolation_level=None, timeout=30)
    con.execute("PRAGMA wal_autocheckpoint=0")
    if mode == "exclusive":
        con.execute("PRAGMA locking_mode=EXCLUSIVE")
    con.execute("CREATE TABLE IF NOT EXISTS locker_rows (n INTEGER NOT NULL)")
    con.execute("BEGIN")
    for i in range(rows):
        con.execute("INSERT INTO locker_rows (n) VALUES (?)", (i,))
    con.execute("COMMIT")
    if mode == "crash":
        print("locked", flush=True)
        os._exit(0)
    con.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    sys.stdin.read()
    con.execute("ROLLBACK")
    con.close()
    """#

    let process = Process()
    private let input = Pipe()
    var pid: Int32 { process.processIdentifier }

    init(path: String, mode: Mode, rows: Int) throws {
        let scriptURL = FileManager.default.temporaryDirectory.appendingPathComponent("grace-locker-\(UUID().uuidString).py")
        try Data(Self.script.utf8).write(to: scriptURL)
        defer { try? FileManager.default.removeItem(at: scriptURL) }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [scriptURL.path, path, mode.rawValue, String(rows)]
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // Python has read the script once it prints; the file can go.
        var printed = Data()
        while !String(decoding: printed, as: UTF8.self).contains("locked") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw NSError(domain: "locker", code: 1, userInfo: [NSLocalizedDescriptionKey: "the locker exited: \(printed)"]) }
            printed += chunk
        }
    }

    /// Ends the lock and the process (it rolls back its open transaction and closes, checkpointing).
    func release() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { release() }
}
