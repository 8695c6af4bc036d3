import ArgumentParser
import Foundation
import GraceBoot
import GraceCore
import GraceStore

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up this home's data into a new folder, verified; or restore one (grace backup restore PATH).",
        subcommands: [Create.self, Restore.self],
        defaultSubcommand: Create.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Write a backup into PATH (a new or empty folder): both SQLite databases through the online backup API "
                + "(or the PostgreSQL database through pg_dump), the .env and the knowledge base, with manifest.json (SHA-256 of each "
                + "file); then verify it (hashes, PRAGMA integrity_check). Safe while Grace runs. Audited (backup.create).")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The backup folder to create.") var path: String
        @Flag(help: "Print the manifest and checks as JSON.") var json = false

        func run() async throws {
            let runtime = try Runtime.start(options, label: "grace.backup", home: .existing)
            let backup = HomeBackup(layout: runtime.layout, database: runtime.settings.databaseURL)
            let verified: HomeBackup.Verified
            do {
                verified = try backup.create(at: path, platform: BackupCommand.platform)
            } catch {
                printError("backup failed: \(error)")
                throw GraceExit.failure
            }
            let store = try await runtime.openStore()
            await store.repositories.audit(AuditEvent(
                actor: ProcessInfo.processInfo.environment["USER"] ?? "operator", action: "backup.create",
                resource: "backup/\(verified.manifest.snapshotID)", subsystem: "backup", payload: BackupCommand.payload(verified), result: "ok"),
                logger: runtime.logger)
            try await store.shutdown()
            runtime.sink.flush()
            try BackupCommand.report(verified, at: path, json: json)
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "restore",
            abstract: "Restore the backup in PATH into this home (created when missing), after verifying it. Refused while Grace runs "
                + "on the home. Every file it replaces is kept beside it as *.before-restore-<time> (a PostgreSQL database is first "
                + "dumped into storage/backups/). Audited (backup.restore).")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The backup folder (made by grace backup PATH).") var path: String

        func run() async throws {
            let runtime = try Runtime.start(options, label: "grace.backup", home: .create)
            // The instance lock: refused (exit 4) while `grace up` or `grace boot` holds the home, and
            // none can start until the restore is done.
            let lock = try runtime.lockHome()
            defer { lock.release() }
            let backup = HomeBackup(layout: runtime.layout, database: runtime.settings.databaseURL)
            let restored: HomeBackup.Restored
            do {
                restored = try backup.restore(from: path)
            } catch {
                printError("restore failed: \(error)")
                throw GraceExit.failure
            }
            let store = try await runtime.openStore()
            var payload: [String: JSONValue] = [
                "backup": .string(URL(fileURLWithPath: path).standardizedFileURL.path),
                "restored": .array(restored.files.restored.map(JSONValue.string)),
                "kept_aside": .array((restored.files.keptAside + (restored.databaseKeptAside.map { [$0] } ?? [])).map(JSONValue.string)),
            ]
            payload["unchanged"] = .array(restored.files.unchanged.map(JSONValue.string))
            try await store.repositories.audit.append(AuditEvent(
                actor: ProcessInfo.processInfo.environment["USER"] ?? "operator", action: "backup.restore",
                resource: "backup/\(URL(fileURLWithPath: path).lastPathComponent)", subsystem: "backup", payload: .object(payload), result: "ok"))
            try await store.shutdown()
            runtime.sink.flush()
            print(restored.files.summary.replacingOccurrences(of: "from \(restored.files.snapshotID)", with: "from \(path)"))
            if let kept = restored.databaseKeptAside { print("the PostgreSQL database as it was is kept in \(kept)") }
        }
    }

    static var platform: String { "\(ProcessInfo.processInfo.operatingSystemVersionString); grace \(Grace.version)" }

    static func payload(_ verified: HomeBackup.Verified) -> JSONValue {
        .object(["files": .array(verified.manifest.files.filter { $0.state != .absent }.map { file in
            .object(["name": .string(file.name), "sha256": file.sha256.map(JSONValue.string) ?? .null,
                     "bytes": file.bytes.map { .number(Double($0)) } ?? .null])
        })])
    }

    static func report(_ verified: HomeBackup.Verified, at path: String, json: Bool) throws {
        if json {
            struct Output: Encodable {
                var manifest: SnapshotManifest
                var checks: [String: String]
            }
            print(String(decoding: try JSONEncoder.graceCompact.encode(Output(manifest: verified.manifest, checks: verified.checks)), as: UTF8.self))
            return
        }
        print("backed up into \(path) (verified):")
        for file in verified.manifest.files {
            let check = verified.checks[file.name].map { ", integrity \($0)" } ?? ""
            print("  \(file.name)  " + (file.state == .absent ? "absent in the home" : "\(file.bytes ?? 0) bytes  sha256 \(file.sha256 ?? "")\(check)"))
        }
    }
}
