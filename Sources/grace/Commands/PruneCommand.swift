import ArgumentParser
import Foundation
import GraceBoot
import GraceCore
import GraceStore

struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete what is older than the retention settings keep (GRACE_RETENTION_DAYS and its per-kind overrides).",
        discussion: """
            Never the audit chain, an active run, a run an open approval names, or a pending, approved or executing approval.
            Safe while `grace up` runs (deletes go in small batches). Each prune that deletes anything is audited (retention.prune).
            """)

    @OptionGroup var options: GlobalOptions
    @Flag(help: "Count what would be deleted; delete nothing.") var dryRun = false
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(help: "Keep this many days of every kind for this run, instead of the settings (decimals allowed; 0 keeps forever).")
    var days: Double?
    @Flag(help: "First switch SQLite databases created before retention to incremental auto-vacuum (one full VACUUM; refused while Grace runs).")
    var vacuum = false

    func validate() throws {
        if let days, !(days.isFinite && days >= 0 && days <= 36_500) {
            throw ValidationError("--days must be a number of days from 0 to 36500, got \(days)")
        }
        if vacuum && dryRun { throw ValidationError("--vacuum changes the databases; it cannot go with --dry-run") }
    }

    func run() async throws {
        let runtime = try Runtime.start(options, label: "grace.prune", home: .existing)
        if vacuum && InstanceLock.isHeld(runtime.layout.pidFile) {
            printError("Grace is running on \(runtime.layout.root) (pid \(InstanceLock.readPID(runtime.layout.pidFile) ?? 0)): "
                       + "--vacuum rewrites the databases; stop it first (grace stop)")
            throw GraceExit.alreadyRunning
        }
        let store = try await runtime.openStore()
        defer { runtime.sink.flush() }
        var converted: [String] = []
        if vacuum {
            guard let sqlite = store as? SQLiteStore else {
                printError("--vacuum is for the SQLite store; PostgreSQL reclaims space with its own autovacuum")
                throw GraceExit.configuration
            }
            converted = try await sqlite.convertToIncrementalVacuum()
        }
        let settings = days.map { RetentionSettings(days: $0) } ?? runtime.settings.retention
        let pruner = RetentionPruner(settings: settings, layout: runtime.layout, repositories: store.repositories,
                                     alertLookbackHours: runtime.settings.alerts.lookbackHours, logger: runtime.logger)
        let report: PruneReport
        do {
            report = try await pruner.run(dryRun: dryRun)
        } catch {
            printError("prune stopped: \(error)")
            do { try await store.shutdown() } catch { printError("closing the store: \(error)") }
            throw GraceExit.failure
        }
        try await store.shutdown()
        if json {
            print(String(decoding: try JSONEncoder.graceCompact.encode(report), as: UTF8.self))
            return
        }
        for name in converted { print("\(name): switched to incremental auto-vacuum") }
        if !settings.isEnabled {
            print("retention is off (GRACE_RETENTION_DAYS unset or 0, no per-kind override): everything is kept")
        }
        let width = RetainedKind.allCases.map(\.rawValue.count).max() ?? 0
        for entry in report.entries {
            let name = entry.kind.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            guard let cutoff = entry.cutoff, let kept = entry.keptDays else {
                print("\(name)  kept forever")
                continue
            }
            print("\(name)  \(String(entry.count).leftPadded(8))  \(dryRun ? "would be deleted" : "deleted")  (older than \(cutoff), \(kept.formatted()) days kept)")
        }
        print("total: \(report.total) \(dryRun ? "would be deleted (dry run: nothing was)" : "deleted")"
              + (report.auditSequence.map { "; audited as entry #\($0)" } ?? ""))
        for database in report.space?.databases ?? [] where database.autoVacuum != "server" {
            print("\(database.name): auto_vacuum \(database.autoVacuum), \(database.freedPages) pages freed, "
                  + "\(database.bytesBefore) -> \(database.bytesAfter) bytes"
                  + (database.autoVacuum == "none" ? " (freed pages are reused by new rows; `grace prune --vacuum` lets the file shrink)" : ""))
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
