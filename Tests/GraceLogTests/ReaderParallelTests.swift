import Foundation
import Testing
@testable import GraceLog

/// A file large enough to be matched on several cores gives exactly what one core gives: the
/// same lines in the same order, the same statistics, and the same early stop.
@Suite struct ReaderParallelTests {
    static func largeLog(in directory: TemporaryDirectory) throws -> String {
        var lines: [String] = []
        var index = 0
        var size = 0
        while size < 11 << 20 {  // several batches of 4 MiB slices
            let subsystem = ["http", "store", "boot_pipeline"][index % 3]
            let level = index % 17 == 0 ? "ERROR" : "INFO"
            var text = line(level: level, subsystem: subsystem, message: "request \(index) served", extra: #","run_id":"run_\#(index % 40)""#)
            if index % 997 == 0 { text = "not json \(index)" }
            lines.append(text)
            size += text.utf8.count + 1
            index += 1
        }
        return try writeLog(lines, to: directory)
    }

    func scan(_ filter: LogFilter, _ path: String, parallelism: Int, limit: Int = .max) throws -> ([String], LogScanStats) {
        var reader = LogReader(paths: [path])
        reader.parallelism = parallelism
        var lines: [String] = []
        let stats = try reader.scan(filter) { line in
            lines.append(String(decoding: line, as: UTF8.self))
            return lines.count < limit
        }
        return (lines, stats)
    }

    @Test func severalCoresAgreeWithOne() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.largeLog(in: directory)
        for filter in [LogFilter(), LogFilter(subsystem: "http"), LogFilter(runID: "run_7"), LogFilter(errorsOnly: true)] {
            let one = try scan(filter, path, parallelism: 1)
            let two = try scan(filter, path, parallelism: 2)
            #expect(!one.0.isEmpty)
            #expect(two.0 == one.0)
            #expect(two.1 == one.1)
        }
        // An early stop hands over exactly the first lines, and counts only those as matched.
        let first = try scan(LogFilter(subsystem: "store"), path, parallelism: 1, limit: 1000)
        let parallel = try scan(LogFilter(subsystem: "store"), path, parallelism: 2, limit: 1000)
        #expect(parallel.0 == first.0)
        #expect(parallel.1.matched == 1000)
    }
}
