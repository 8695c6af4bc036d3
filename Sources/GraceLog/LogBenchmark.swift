import Logging

/// Measures the logging hot path end to end: handler, formatting, buffer and file writes.
public enum LogBenchmark {
    /// Writes `lines` log lines through a ``GraceLogHandler`` (with `run_id` set via `withRun`
    /// and two metadata fields) into a file at `path`, returns lines per second (wall clock),
    /// flushing at the end.
    ///
    /// The file is appended to with the default rotation (50 MiB, 5 files), so a large run
    /// leaves up to about 300 MiB next to `path`.
    public static func run(lines: Int, path: String) throws -> Double {
        let sink = try LogFileSink(configuration: LogFileConfiguration(path: path))
        defer { sink.close() }
        let logger = Logger(label: "grace.benchmark") { label in
            GraceLogHandler(label: label, sink: sink, console: nil, redactor: .none, level: .info)
        }
        let clock = ContinuousClock()
        let start = clock.now
        withRun("benchmark-run") {
            for index in 0 ..< lines {
                logger.info(
                    "benchmark line written through the Grace log handler",
                    metadata: ["iteration": .stringConvertible(index), "component": "log_benchmark"]
                )
            }
        }
        sink.flush()
        let elapsed = (clock.now - start).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        return Double(lines) / max(seconds, 1e-9)
    }
}
