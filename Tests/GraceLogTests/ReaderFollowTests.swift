import Foundation
import Synchronization
import Testing
@testable import GraceLog

/// Lines collected by a follower running in another task.
final class Collected: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }

    /// Polls until `count` lines arrived or `seconds` passed; returns the lines.
    func wait(for count: Int, seconds: Double = 10) async throws -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        while all.count < count && Date() < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        return all
    }
}

func append(_ lines: [String], to path: String) throws {
    let handle = FileHandle(forWritingAtPath: path) ?? {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return FileHandle(forWritingAtPath: path)!
    }()
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(lines.map { $0 + "\n" }.joined().utf8))
}

@Suite("LogFollower")
struct ReaderFollowTests {
    let directory: TemporaryDirectory
    init() throws { directory = try TemporaryDirectory() }

    private func startFollowing(_ path: String, filter: LogFilter = LogFilter(), history: Int = 0,
                                into collected: Collected) -> Task<LogScanStats, any Error> {
        Task {
            try await LogFollower(path: path, filter: filter, pollInterval: .milliseconds(10)).follow(history: history) { line in
                collected.append(String(decoding: line, as: UTF8.self))
            }
        }
    }

    @Test(.timeLimit(.minutes(1))) func followsAppendsAcrossRotation() async throws {
        let path = directory.path + "/grace.jsonl"
        try append([line(message: "before start")], to: path)
        let collected = Collected()
        // One line of history: once it arrived, the follower has the file open at its end.
        let task = startFollowing(path, history: 1, into: collected)
        #expect(try await collected.wait(for: 1).count == 1)
        try append([line(message: "one"), line(message: "two")], to: path)
        #expect(try await collected.wait(for: 3).count == 3)

        // Rotate as LogFileSink does: the file is renamed, a last line may still land in it, and a new file appears.
        try append([line(message: "three")], to: path)
        #expect(rename(path, path + ".1") == 0)
        try append([line(message: "four, late into the rotated file")], to: path + ".1")
        try append([line(message: "five, in the new file"), line(message: "six")], to: path)
        let lines = try await collected.wait(for: 7)
        task.cancel()
        let stats = try await task.value
        #expect(lines.map { LogEntry(line: $0)?.message ?? "?" }
            == ["before start", "one", "two", "three", "four, late into the rotated file", "five, in the new file", "six"])
        #expect(stats.matched == 7)
    }

    @Test(.timeLimit(.minutes(1))) func filtersHistoryPartialLinesAndTruncation() async throws {
        let path = directory.path + "/grace.jsonl"
        try append((1 ... 5).map { line(subsystem: $0 % 2 == 0 ? "http" : "store", message: "old \($0)") }, to: path)
        let collected = Collected()
        let task = startFollowing(path, filter: LogFilter(subsystem: "http"), history: 1, into: collected)
        #expect(try await collected.wait(for: 1).map { LogEntry(line: $0)?.message } == ["old 4"])

        // A line written in two pieces arrives once, whole.
        let handle = FileHandle(forWritingAtPath: path)!
        try handle.seekToEnd()
        let piece = line(subsystem: "http", message: "split")
        try handle.write(contentsOf: Data(piece.prefix(20).utf8))
        try await Task.sleep(for: .milliseconds(60))
        try handle.write(contentsOf: Data((piece.dropFirst(20) + "\n").utf8))
        try handle.close()
        try append([line(subsystem: "store", message: "filtered out"), "not json", line(subsystem: "http", message: "after")], to: path)
        #expect(try await collected.wait(for: 3).map { LogEntry(line: $0)?.message } == ["old 4", "split", "after"])

        // Truncated in place (copytruncate-style): reading starts over.
        #expect(truncate(path, 0) == 0)
        try await Task.sleep(for: .milliseconds(60))
        try append([line(subsystem: "http", message: "after truncate")], to: path)
        let lines = try await collected.wait(for: 4)
        task.cancel()
        let stats = try await task.value
        #expect(lines.last.flatMap { LogEntry(line: $0)?.message } == "after truncate")
        #expect(stats.malformed == 0)  // "not json" never reached validation: the prefilter ruled it out
    }

    @Test(.timeLimit(.minutes(1))) func waitsForAFileThatDoesNotExistYet() async throws {
        let path = directory.path + "/later.jsonl"
        let collected = Collected()
        let task = startFollowing(path, history: 10, into: collected)
        try await Task.sleep(for: .milliseconds(50))
        try append([line(message: "first")], to: path)
        let lines = try await collected.wait(for: 1)
        task.cancel()
        _ = try await task.value
        #expect(lines.map { LogEntry(line: $0)?.message } == ["first"])
    }
}
