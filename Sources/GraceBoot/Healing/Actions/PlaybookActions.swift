import Foundation
import GraceCore
import GraceStore

/// One kind of playbook step. Each records what it changed (the returned text) and is
/// idempotent where it can be: running it twice leaves the same state.
protocol PlaybookActionHandler: Sendable {
    func perform(_ step: PlaybookStep, for request: HealingRequest) async throws -> String
}

/// A step that cannot complete on its own.
struct ActionError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A fix that only a person can make; recorded as a recommendation.
struct HumanActionRequired: Error, CustomStringConvertible {
    var description: String
}

enum PlaybookActions {
    /// The Swift implementation of each action.
    static func handler(for action: PlaybookAction) -> any PlaybookActionHandler {
        switch action {
        case .setEnvDefault: SetEnvDefault()
        case .setUTF8Environment: SetUTF8Environment()
        case .runMigrations: RunMigrations()
        case .setSQLitePragmas: SetSQLitePragmas()
        case .checkpointWAL: CheckpointWAL()
        case .waitBackoff: WaitForWriteLock()
        case .restoreSnapshot: RestoreDamagedDatabases()
        case .restartTarget: RestartTarget()
        case .requestHumanAction: RequestHumanAction()
        case .shell: ShellCommand()
        }
    }
}

/// Writes `KEY=value` into the env file when the key has no value there yet.
struct SetEnvDefault: PlaybookActionHandler {
    func perform(_ step: PlaybookStep, for request: HealingRequest) async throws -> String {
        guard let key = request.value("key", step: step) ?? request.value("variable") else {
            throw ActionError("no variable name: the match captured none and the step sets no \"key\"")
        }
        let file = request.environment.envFile
        if let current = EnvFile.value(of: key, in: file), !current.isEmpty {
            return "\(key) already set in \(file); nothing changed"
        }
        guard let value = request.value("value", step: step) ?? request.environment.envDefaults[key] else {
            throw ActionError("\(key) is not set and no default is configured for it (add \(key)=... to env.defaults in the Grace home, or set it in \(file))")
        }
        try EnvFile.set(key, value, in: file)
        return "wrote \(key) to \(file)"  // never the value: it may be a secret
    }
}

/// Makes the service's text I/O UTF-8 whatever the system locale is, through its env file (which
/// the service's environment is built from at each start); Grace's own environment is left alone.
struct SetUTF8Environment: PlaybookActionHandler {
    static let settings = [("PYTHONIOENCODING", "utf-8"), ("PYTHONUTF8", "1"), ("LC_ALL", "C.UTF-8"), ("LANG", "C.UTF-8")]

    func perform(_ step: PlaybookStep, for request: HealingRequest) async throws -> String {
        var changed: [String] = []
        for (key, value) in Self.settings {
            if EnvFile.value(of: key, in: request.environment.envFile) != value {
                try EnvFile.set(key, value, in: request.environment.envFile)
                changed.append(key)
            }
        }
        return changed.isEmpty ? "UTF-8 environment already set" : "set \(changed.joined(separator: ", ")) in \(request.environment.envFile)"
    }
}

/// Applies pending migrations: the service's `.sql` files, or Grace's own schema.
struct RunMigrations: PlaybookActionHandler {
    func perform(_ step: PlaybookStep, for request: HealingRequest) async throws -> String {
        if let migrations = request.environment.sqlMigrations {
            let applied = try SQLiteMaintenance.applySQLMigrations(migrations.database, directory: migrations.directory)
            return applied.isEmpty ? "no pending migrations in \(migrations.directory)" : "applied \(applied.joined(separator: ", "))"
        }
        guard let graceDatabase = request.environment.databases.first else { throw ActionError("no database to migrate") }
        let layout = GraceHomeLayout(root: URL(fileURLWithPath: graceDatabase).deletingLastPathComponent().deletingLastPathComponent().path)
        try SQLiteStore(layout: layout).close()
        return "Grace's schema is current"
    }
}

/// WAL mode for every database, so readers and writers stop blocking each other.
struct SetSQLitePragmas: PlaybookActionHandler {
    func perform(_ step: PlaybookStep, for request: HealingRequest) async throws -> String {
        var notes: [String] = []
        for database in request.environment.databases where FileManager.default.fileExists(atPath: database) {
            notes.append("\(URL(fileURLWithPath: database).lastPathComponent): journal_mode=\(try SQLiteMaintenance.enableWAL(database))")
        }
        return notes.isEmpty ? "no database files" : notes.joined(separator: ", ")
    }
}

/// Folds each WAL back into its database file.
struct CheckpointWAL: PlaybookActionHandler {
    func perform(_ step: PlaybookStep, for request: HealingRequest) async throws -> String {
        var notes: [String] = []
        for database in request.environment.databases where FileManager.default.fileExists(atPath: database) {
            let result = try SQLiteMaintenance.checkpoint(database)
            notes.append("\(URL(fileURLWithPath: database).lastPathComponent): \(result.checkpointed) frames\(result.busy != 0 ? " (busy)" : "")")
        }
        return notes.isEmpty ? "no database files" : "checkpointed " + notes.joined(separator: ", ")
    }
}

/// Waits, with exponential backoff, until every database accepts a write transaction.
struct WaitForWriteLock: PlaybookActionHandler {
    func perform(_ step: PlaybookStep, for request: HealingRequest) async throws -> String {
        var delay = Double(Self.number(step.parameters["initial_ms"]) ?? 200) / 1000
        let attempts = max(1, Self.number(step.parameters["attempts"]) ?? 5)
        for database in request.environment.databases where FileManager.default.fileExists(atPath: database) {
            var acquired = false
            for attempt in 1...attempts {
                if SQLiteMaintenance.canTakeWriteLock(database, timeout: delay) {
                    acquired = true
                    break
                }
                if attempt < attempts { try await Task.sleep(for: .seconds(delay)) }
                delay *= 2
            }
            guard acquired else { throw ActionError("\(database) is still locked after \(attempts) attempts with backoff") }
        }
        return "every database accepts writes"
    }

    static func number(_ value: JSONValue?) -> Int? {
        if case .number(let number)? = value { return Int(number) }
        return nil
    }
}

/// Restores databases that show damage from the newest snapshot holding a healthy copy.
struct RestoreDamagedDatabases: PlaybookActionHandler {
    func perform(_ step: PlaybookStep, for request: HealingRequest) async throws -> String {
        let layout = GraceHomeLayout(root: URL(fileURLWithPath: request.environment.databases.first ?? "")
            .deletingLastPathComponent().deletingLastPathComponent().path)
        let damaged = DatabaseInspection.inspectAll(layout).filter { $0.state == .damaged }
        guard !damaged.isEmpty else { return "no damaged database" }
        // Unattended: a restore that would discard readable newer rows is refused, naming them.
        let restorer = SnapshotRestorer(snapshots: SnapshotStore(layout: layout))
        return try restorer.restore(restorer.candidates(for: damaged.map(\.path)))
    }
}

/// Restarts the supervised service so it picks up the fix (new environment, migrated schema).
struct RestartTarget: PlaybookActionHandler {
    func perform(_ step: PlaybookStep, for request: HealingRequest) async throws -> String {
        guard let restart = request.environment.restartTarget else {
            // Grace's own home: no service runs from it; what was written applies at the next start.
            if request.environment.scope == "grace" { return "no supervised service to restart; the change applies when Grace next starts" }
            throw ActionError("no supervised target service is configured (GRACE_TARGET_COMMAND); restart it by hand")
        }
        return try await restart()
    }
}

/// Records what a person must do; never reports success by itself.
struct RequestHumanAction: PlaybookActionHandler {
    func perform(_ step: PlaybookStep, for request: HealingRequest) async throws -> String {
        let message = step.parameters["message"]?.stringValue ?? request.pattern.rootCause
        throw HumanActionRequired(description: message + " Evidence: " + request.match.line)
    }
}

/// Runs a shell command from a playbook file on disk (never from a built-in or an API request).
struct ShellCommand: PlaybookActionHandler {
    func perform(_ step: PlaybookStep, for request: HealingRequest) async throws -> String {
        guard request.playbook.source.hasPrefix("/") else {
            throw ActionError("shell steps run only from playbook files on disk; \(request.playbook.id) comes from \(request.playbook.source)")
        }
        guard let command = step.parameters["command"]?.stringValue, !command.isEmpty else { throw ActionError("shell step without \"command\"") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ActionError("command exited \(process.terminationStatus): \(text.suffix(500))") }
        return "ran command (exit 0)"
    }
}

/// Reads and edits `KEY=value` files, keeping every other line as it is.
enum EnvFile {
    /// Every assignment of the file; a missing or unreadable file gives none.
    static func values(in path: String) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return [:] }
        return (try? DotEnv.parse(text, source: path)) ?? [:]
    }

    static func value(of key: String, in path: String) -> String? {
        values(in: path)[key]
    }

    static func set(_ key: String, _ value: String, in path: String) throws {
        var text = FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) } ?? ""
        let escaped = "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let index = lines.firstIndex(where: { $0.hasPrefix(key + "=") || $0.hasPrefix("export " + key + "=") }) {
            lines[index] = key + "=" + escaped
            text = lines.joined(separator: "\n")
        } else {
            if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
            text += key + "=" + escaped + "\n"
        }
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try FileWriting.replace(path, with: Data(text.utf8))
    }
}
