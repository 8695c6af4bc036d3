import ArgumentParser
import Foundation
import GraceBoot
import GraceLog

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Micro-benchmarks that print figures (use a release build).",
        subcommands: [LogWrite.self, ModelLoad.self])

    struct ModelLoad: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "model-load",
            abstract: "Decode the built-in recognition model N times and print the time one load adds to a start.")

        @Option(help: "How many loads.") var times = 200

        func validate() throws {
            guard times > 0 else { throw ValidationError("--times must be positive, got \(times)") }
        }

        func run() throws {
            let start = ContinuousClock.now
            var features = 0
            for _ in 0..<times { features = try CorpusEvaluation.builtInModel().weights.count }
            let each = (ContinuousClock.now - start) / times
            print("model-load: \(features) features, \(String(format: "%.2f", Double(each.components.attoseconds) / 1e15 + Double(each.components.seconds) * 1000)) ms per load (\(times) loads)")
        }
    }

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
            // The file and the rotated files the run leaves (<path>.1 ...).
            let files = [path] + (0..<LogFileConfiguration(path: path).maxFiles).map { "\(path).\($0 + 1)" }
            defer { for file in files { try? FileManager.default.removeItem(atPath: file) } }  // scratch files; some never exist
            let rate = try LogBenchmark.run(lines: lines, path: path)
            let bytes = files.compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int }.reduce(0, +)
            // The line size lets a reference write lines of the same size (scripts/bench.sh).
            print("log-write: \(lines) lines, \(Int(rate)) lines/s, \(bytes / lines) bytes/line")
        }
    }
}
