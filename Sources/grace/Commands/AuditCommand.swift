import ArgumentParser
import Foundation
import GraceCore
import GraceStore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Inspect and verify the hash-chained audit log.",
        subcommands: [Verify.self, Tail.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "verify",
            abstract: "Walk the audit chain; exit 1 and name the first bad sequence when it is broken.")

        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print the result as JSON.") var json = false

        func run() async throws {
            let runtime = try Runtime.start(options, label: "grace.audit", home: .existing)
            let verification = try await runtime.openStore().repositories.audit.verify()
            if json {
                print(try String(decoding: JSONEncoder.graceCompact.encode(verification), as: UTF8.self))
            } else if let sequence = verification.firstBadSequence {
                print("audit chain BROKEN at sequence \(sequence): \(verification.reason ?? "")")
                print("(\(verification.entriesChecked) entries read)")
            } else {
                print("audit chain intact: \(verification.entriesChecked) entries verified")
            }
            if !verification.isIntact { throw GraceExit.failure }
        }
    }

    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "tail", abstract: "Show the newest audit entries, oldest first.")

        @OptionGroup var options: GlobalOptions
        @Option(name: [.customShort("n"), .long], help: "How many entries.") var count = 20
        @Flag(help: "One JSON object per line.") var json = false

        func validate() throws {
            guard count > 0 else { throw ValidationError("--count must be at least 1, got \(count)") }
        }

        func run() async throws {
            let runtime = try Runtime.start(options, label: "grace.audit", home: .existing)
            let entries = try await runtime.openStore().repositories.audit.tail(limit: count).reversed()
            if json {
                let encoder = JSONEncoder.graceCompact
                for entry in entries { print(String(decoding: try encoder.encode(entry), as: UTF8.self)) }
                return
            }
            if entries.isEmpty { print("audit log is empty") }
            for entry in entries {
                print("#\(entry.sequence)  \(entry.timestamp)  \(entry.actor)  \(entry.action)  \(entry.resource)  [\(entry.subsystem)] -> \(entry.result)  \(entry.entryHash.prefix(12))")
            }
        }
    }
}
