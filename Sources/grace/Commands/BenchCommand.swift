import ArgumentParser
import Foundation
import GraceLog

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Micro-benchmarks that print figures (use a release build).",
        subcommands: [LogWrite.self])

    struct LogWrite: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log-write",
            abstract: "Write N JSON log lines through Grace's log handler and print lines/s.")

        @Option(help: "How many lines.") var lines = 1_000_000
        @Option(help: "Scratch folder for the log file (removed afterwards).") var directory = NSTemporaryDirectory()

        func validate() throws {
            guard lines > 0 else { throw ValidationError("--lines must be positive, got \(lines)") }
        }

        func run() throws {
            let path = directory + "/grace-bench-\(getpid()).jsonl"
            defer { try? FileManager.default.removeItem(atPath: path) }
            let rate = try LogBenchmark.run(lines: lines, path: path)
            print("log-write: \(lines) lines, \(Int(rate)) lines/s")
        }
    }
}
