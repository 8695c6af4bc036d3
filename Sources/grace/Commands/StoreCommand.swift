import ArgumentParser
import Foundation
import GraceCore
import GraceStore

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Move a home's store between backends.",
        subcommands: [Migrate.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "migrate",
            abstract: "Copy this home's SQLite databases into PostgreSQL (resumable; the SQLite files are not changed).",
            discussion: """
                Run it again after an interruption: rows already copied are skipped. Afterwards every row is \
                looked up in PostgreSQL and the audit chain there is verified; exit 1 when either check fails. \
                Then set GRACE_DATABASE_URL to the same URL to use PostgreSQL.
                """)

        @OptionGroup var options: GlobalOptions
        @Option(help: ArgumentHelp("The PostgreSQL database to copy into.", valueName: "postgres://USER@HOST:PORT/DATABASE"))
        var to: String

        func run() async throws {
            guard let url = DatabaseURL(to) else {
                printError("invalid --to \"\(to)\": expected \(DatabaseURL.expected)")
                throw GraceExit.configuration
            }
            let runtime = try Runtime.start(options, label: "grace.store", console: false, home: .existing)
            let destination: PostgresStore
            do {
                destination = try await PostgresStore.open(url, nodeID: runtime.settings.nodeID, logger: runtime.logger)
            } catch {
                printError("\(error)")
                throw GraceExit.store
            }
            defer { runtime.sink.flush() }
            say("copying \(runtime.layout.databasesDirectory) into \(url.displayURL) (node \(runtime.settings.nodeID))")
            let report: StoreCopier.Report
            do {
                report = try await StoreCopier(layout: runtime.layout, destination: destination, nodeID: runtime.settings.nodeID).run { table in
                    say("  \(table.table): \(table.sourceRows) rows, \(table.inserted) copied now, \(table.verified) found in PostgreSQL")
                }
            } catch {
                await destination.close()
                printError("\(error)")
                throw error is StoreError ? GraceExit.store : GraceExit.failure
            }
            await destination.close()
            let audit = report.audit
            if let sequence = audit.firstBadSequence {
                say("audit chain in PostgreSQL BROKEN at sequence \(sequence): \(audit.reason ?? "")")
            } else {
                say("audit chain in PostgreSQL intact: \(audit.entriesChecked) entries verified")
            }
            guard report.isComplete else {
                printError("the copy is incomplete; run the command again to resume")
                throw GraceExit.failure
            }
            say("done: set GRACE_DATABASE_URL=\(url.displayURL) to use it")
        }
    }
}
