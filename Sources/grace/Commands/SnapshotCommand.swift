import ArgumentParser
import Foundation
import GraceBoot
import GraceCore
import GraceStore

struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "List and restore pre-boot snapshots.",
        subcommands: [List.self, Restore.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List snapshots, newest first.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print the manifests as JSON.") var json = false

        func run() throws {
            let runtime = try Runtime.start(options, label: "grace.snapshot", console: false, home: .existing)
            let manifests = SnapshotStore(layout: runtime.layout).list()
            if json {
                print(String(decoding: try JSONEncoder.graceCompact.encode(manifests), as: UTF8.self))
                return
            }
            if manifests.isEmpty { print("no snapshots in \(runtime.layout.snapshotsDirectory)") }
            for manifest in manifests {
                let files = manifest.files.map { "\($0.name):\($0.state.rawValue)" }.joined(separator: " ")
                print("\(manifest.snapshotID)  \(manifest.createdAt)  boot \(manifest.bootID ?? "-")  \(files)")
            }
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "restore",
            abstract: "Restore a snapshot's databases and settings files into this home (refused while Grace runs).",
            discussion: """
            Every file is restored into the home given by --home / GRACE_HOME (and the supervised
            service's folder), whatever home the snapshot was taken in. Each file the restore replaces
            is moved aside with its -wal and -shm (<file>.replaced-<time>), never deleted. When a live
            database holds rows the snapshot lacks, the restore lists them and stops unless
            --discard-newer is given; a database another process has open is never replaced.
            """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Snapshot id, from `grace snapshot list`.") var id: String
        @Option(name: .customLong("only"), help: "Restore only this file of the snapshot (grace.db, metrics.db, env, _metadata.json, target-…); repeatable.")
        var only: [String] = []
        @Flag(help: "Restore even when a live database has rows newer than the snapshot (they stay in the file kept aside).")
        var discardNewer = false

        func run() async throws {
            let runtime = try Runtime.start(options, label: "grace.snapshot", console: false, home: .existing)
            let lock = try runtime.lockHome()
            defer { lock.release() }
            let snapshots = SnapshotStore(layout: runtime.layout, target: runtime.settings.target)
            let names = only.isEmpty ? nil : Set(only)
            let result: RestoreResult
            do {
                let plan = try snapshots.plan(id: id, names: names)
                print("newer than the snapshot: \(plan.newerSummary)")
                result = try snapshots.restore(plan, discardNewer: discardNewer)
            } catch {
                printError("\(error)")
                throw GraceExit.failure
            }
            let store = try await runtime.openStore()
            try await store.repositories.audit.append(AuditEvent(
                actor: "operator", action: "snapshot.restore", resource: "snapshot/\(id)", subsystem: "snapshots",
                payload: ["pid": .number(Double(getpid())), "restored": .array(result.restored.map { .string($0) }),
                          "kept_aside": .array(result.keptAside.map { .string(URL(fileURLWithPath: $0).lastPathComponent) }),
                          "discard_newer": .bool(discardNewer)],
                result: "restored"))
            try await store.shutdown()
            runtime.sink.flush()
            print(result.summary)
        }
    }
}
