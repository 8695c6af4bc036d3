import Foundation
import Testing
@testable import GraceLog

/// The per-run index gives exactly what a full scan gives, across rotation, appends by other
/// writers and files replaced under it.
@Suite struct RunLogIndexTests {
    static func fullScan(_ runID: String, _ path: String) throws -> Int {
        try LogReader(paths: LogReader.files(forLog: path)).count(LogFilter(runID: runID))
    }

    static func indexed(_ index: RunLogIndex, _ runID: String, _ path: String) throws -> Int {
        try LogReader.count(LogFilter(runID: runID), inLines: index.lines(runID: runID, paths: LogReader.files(forLog: path)))
    }

    @Test func aRunsLinesAreFoundAcrossRotationAndLaterAppends() throws {
        let fixture = try LogFixture(maxBytes: 8_192, maxFiles: 50)
        let index = RunLogIndex(chunkSize: 4_096)  // small chunks: lines straddle chunk ends
        for i in 0..<400 {
            withRun("run-\(i % 3)") { fixture.logger.info("step \(i)", metadata: ["seq": "\(i)"]) }
            if i % 7 == 0 { fixture.logger.info("no run here \(i)") }
        }
        fixture.sink.flush()
        #expect(LogReader.files(forLog: fixture.path).count > 5)
        for run in ["run-0", "run-1", "run-2", "run-9"] {
            #expect(try Self.indexed(index, run, fixture.path) == Self.fullScan(run, fixture.path), "\(run)")
        }
        #expect(try Self.indexed(index, "run-0", fixture.path) == 134)

        // More lines, more rotations: only the new bytes are read, and rotated files keep their entries.
        for i in 400..<700 { withRun("run-\(i % 3)") { fixture.logger.info("step \(i)", metadata: ["seq": "\(i)"]) } }
        fixture.sink.flush()
        for run in ["run-0", "run-1", "run-2"] {
            #expect(try Self.indexed(index, run, fixture.path) == Self.fullScan(run, fixture.path), "\(run)")
        }
        // The lines come back whole and in order.
        let lines = try index.lines(runID: "run-1", paths: LogReader.files(forLog: fixture.path))
        let seqs = try LogReader.lastEntries(LogFilter(runID: "run-1"), limit: 1_000, inLines: lines).map { entry in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(entry.raw.utf8)) as? [String: Any])
            return Int(object["seq"] as! String)!
        }
        #expect(seqs == Array(stride(from: 1, to: 700, by: 3)))
    }

    @Test func linesAnotherProcessAppendsAreSeenAndAReplacedFileIsReadAgain() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/grace.jsonl"
        let index = RunLogIndex()
        try Data(#"{"run_id":"a","message":"one"}"#.utf8 + [0x0A]).write(to: URL(fileURLWithPath: path))
        #expect(try Self.indexed(index, "a", path) == 1)
        // Another writer appends, the last line unfinished: it counts once its newline is there.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"run_id":"a","message":"two"}"#.utf8 + [0x0A] + #"{"run_id":"a","mess"#.utf8))
        #expect(try Self.indexed(index, "a", path) == 2)
        try handle.write(contentsOf: Data(#"age":"three"}"#.utf8 + [0x0A] + #"{"run_id":7}"#.utf8 + [0x0A] + #"not json"#.utf8 + [0x0A]))
        try handle.close()
        #expect(try Self.indexed(index, "a", path) == 3)
        #expect(try Self.indexed(index, "7", path) == Self.fullScan("7", path))  // a number is not a run id
        // Replaced by a shorter file with the same name: read again from the start.
        try FileManager.default.removeItem(atPath: path)
        try Data(#"{"run_id":"b"}"#.utf8 + [0x0A]).write(to: URL(fileURLWithPath: path))
        #expect(try Self.indexed(index, "a", path) == 0)
        #expect(try Self.indexed(index, "b", path) == 1)
    }

    /// A run asked for again is served from the line cache plus what was written since; a file
    /// cut short in place (same inode) is a new reading, so no cached line of the old content remains.
    @Test func cachedLinesFollowAppendsAndAFileCutShortInPlace() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/grace.jsonl"
        let index = RunLogIndex()
        let first = #"{"run_id":"a","message":"one"}"# + "\n" + #"{"run_id":"b"}"# + "\n" + #"{"run_id":"a","message":"two"}"# + "\n"
        try Data(first.utf8).write(to: URL(fileURLWithPath: path))
        let expected = #"{"run_id":"a","message":"one"}"# + "\n" + #"{"run_id":"a","message":"two"}"# + "\n"
        #expect(try index.lines(runID: "a", paths: [path]) == Array(expected.utf8))
        #expect(try index.lines(runID: "a", paths: [path]) == Array(expected.utf8))  // from the cache
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((#"{"run_id":"a","message":"three"}"# + "\n").utf8))
        #expect(try index.lines(runID: "a", paths: [path]) == Array((expected + #"{"run_id":"a","message":"three"}"# + "\n").utf8))
        // Cut short and rewritten through the same handle: same file, new content.
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data((#"{"run_id":"a","message":"new"}"# + "\n").utf8))
        try handle.close()
        #expect(try index.lines(runID: "a", paths: [path]) == Array((#"{"run_id":"a","message":"new"}"# + "\n").utf8))
    }

    /// A version stays while the run's lines stay, and moves when one is appended, when the file
    /// is rewritten or rotated away, but not for other runs' lines.
    @Test func aRunsVersionMovesOnlyWithItsLines() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/grace.jsonl"
        let index = RunLogIndex()
        try Data((#"{"run_id":"a"}"# + "\n" + #"{"run_id":"b"}"# + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let first = try index.version(runID: "a", paths: [path])
        #expect(first.lineCount == 1)
        #expect(try index.version(runID: "a", paths: [path]) == first)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((#"{"run_id":"b","message":"other"}"# + "\n" + #"{"run_id":"a","message":"unfinished"#).utf8))
        #expect(try index.version(runID: "a", paths: [path]) == first, "another run's line, and a line not yet ended")
        try handle.write(contentsOf: Data(("\"}\n").utf8))
        let second = try index.version(runID: "a", paths: [path])
        #expect(second != first && second.lineCount == 2)
        // Rewritten in place with as many of the run's lines: a new reading of the file, a new version.
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data((#"{"run_id":"a","message":"x"}"# + "\n" + #"{"run_id":"a","message":"y"}"# + "\n").utf8))
        try handle.close()
        let rewritten = try index.version(runID: "a", paths: [path])
        #expect(rewritten.lineCount == 2 && rewritten != second)
        #expect(try index.version(runID: "a", paths: []) != rewritten, "a file no longer listed")
    }

    @Test func aLineLongerThanAChunkIsIndexedWhole() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/grace.jsonl"
        let long = String(repeating: "x", count: 3 << 20)
        let text = #"{"run_id":"r","message":"short"}"# + "\n" + #"{"run_id":"r","message":""# + long + "\"}\n" + #"{"run_id":"r"}"# + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let index = RunLogIndex(chunkSize: 1 << 20)
        #expect(try Self.indexed(index, "r", path) == 3)
        #expect(try index.lines(runID: "r", paths: [path]).count == text.utf8.count)
    }
}
