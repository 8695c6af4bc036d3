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
        static let configuration = CommandConfiguration(abstract: "List snapshots, newest first.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print the manifests as JSON.") var json = false

        func run() throws {
            let runtime = try Runtime.start(options, label: "grace.snapshot", console: false)
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
        static let configuration = CommandConfiguration(
            abstract: "Restore a snapshot's databases and settings files (refused while Grace runs).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Snapshot id, from `grace snapshot list`.") var id: String

        func run() async throws {
            let runtime = try Runtime.start(options, label: "grace.snapshot", console: false)
            let lock = try runtime.lockHome()
            defer { lock.release() }
            let snapshots = SnapshotStore(layout: runtime.layout)
            do {
                try snapshots.restore(id: id)
            } catch {
                printError("\(error)")
                throw GraceExit.failure
            }
            let store = try await runtime.openStore()
            try await store.repositories.audit.append(AuditEvent(actor: "operator", action: "snapshot.restore", resource: "snapshot/\(id)",
                                                                 subsystem: "snapshots", payload: ["pid": .number(Double(getpid()))],
                                                                 result: "restored"))
            try await store.shutdown()
            runtime.sink.flush()
            print("restored snapshot \(id)")
        }
    }
}
