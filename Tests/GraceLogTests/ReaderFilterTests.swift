import Foundation
import Testing
@testable import GraceLog

/// Writes `lines` (each followed by a newline unless `trailingNewline` is false) to `name` in `directory`.
@discardableResult
func writeLog(_ lines: [String], to directory: TemporaryDirectory, name: String = "grace.jsonl",
              trailingNewline: Bool = true) throws -> String {
    let path = directory.path + "/" + name
    var text = lines.joined(separator: "\n")
    if trailingNewline && !lines.isEmpty { text += "\n" }
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    return path
}

/// The raw matching lines, through both the mapped and the chunked-read paths (which must agree).
func matching(_ filter: LogFilter, in paths: [String], chunkSize: Int = 64) throws -> (lines: [String], stats: LogScanStats) {
    func run(_ reader: LogReader) throws -> ([String], LogScanStats) {
        var lines: [String] = []
        let stats = try reader.scan(filter) { line in
            lines.append(String(decoding: line, as: UTF8.self))
            return true
        }
        return (lines, stats)
    }
    let mapped = try run(LogReader(paths: paths))
    var reading = LogReader(paths: paths)
    reading.mapsFiles = false
    reading.chunkSize = chunkSize
    let read = try run(reading)
    #expect(mapped.0 == read.0, "mapped and read paths disagree")
    #expect(mapped.1 == read.1, "mapped and read statistics disagree")
    return mapped
}

func line(_ ts: String = "2025-11-09T18:30:00.000000Z", level: String = "INFO", subsystem: String = "http",
          message: String = "m", extra: String = "") -> String {
    #"{"timestamp":"\#(ts)","level":"\#(level)","logger":"grace.\#(subsystem)","subsystem":"\#(subsystem)","event_type":"log","message":"\#(message)"\#(extra)}"#
}

@Suite("LogReader filters")
struct ReaderFilterTests {
    let directory: TemporaryDirectory
    init() throws { directory = try TemporaryDirectory() }

    @Test func everyFieldFilter() throws {
        let lines = [
            line(subsystem: "http", extra: #","run_id":"run_a","request_id":"req_1""#),
            line(subsystem: "store", extra: #","run_id":"run_b","playbook_id":"pb_1""#),
            line(subsystem: "healing", extra: #","run_id":"run_a","playbook_id":"pb_1","verification_id":"ver_1""#),
            line(subsystem: "http", extra: #","request_id":"req_2""#),
        ]
        let path = try writeLog(lines, to: directory)
        #expect(try matching(LogFilter(subsystem: "http"), in: [path]).lines == [lines[0], lines[3]])
        #expect(try matching(LogFilter(runID: "run_a"), in: [path]).lines == [lines[0], lines[2]])
        #expect(try matching(LogFilter(playbookID: "pb_1"), in: [path]).lines == [lines[1], lines[2]])
        #expect(try matching(LogFilter(verificationID: "ver_1"), in: [path]).lines == [lines[2]])
        #expect(try matching(LogFilter(requestID: "req_2"), in: [path]).lines == [lines[3]])
        #expect(try matching(LogFilter(requestID: "req_3"), in: [path]).lines.isEmpty)
        #expect(try matching(LogFilter(), in: [path]).lines == lines)
        #expect(try LogReader(paths: [path]).count(LogFilter(runID: "run_a")) == 2)
    }

    @Test func levelsAndErrors() throws {
        let lines = LogLevelName.all.map { line(level: $0, message: $0.lowercased()) } + [line(level: "weird"), #"{"message":"no level"}"#]
        let path = try writeLog(lines, to: directory)
        #expect(try matching(LogFilter(minimumLevel: "warning"), in: [path]).lines == Array(lines[4 ... 6]))
        #expect(try matching(LogFilter(minimumLevel: "WARN"), in: [path]).lines == Array(lines[4 ... 6]))
        #expect(try matching(LogFilter(minimumLevel: "info"), in: [path]).lines == Array(lines[2 ... 6]))
        #expect(try matching(LogFilter(minimumLevel: "TRACE"), in: [path]).lines == Array(lines[0 ... 6]))
        #expect(try matching(LogFilter(minimumLevel: "critical"), in: [path]).lines == [lines[6]])
        #expect(try matching(LogFilter(errorsOnly: true), in: [path]).lines == [lines[5], lines[6]])
        // Both: the stricter wins (AND).
        #expect(try matching(LogFilter(minimumLevel: "critical", errorsOnly: true), in: [path]).lines == [lines[6]])
        #expect(throws: LogReaderError.unknownLevel("loud")) { try LogReader(paths: [path]).count(LogFilter(minimumLevel: "loud")) }
    }

    @Test func timeRange() throws {
        let lines = [
            line("2025-11-09T18:30:00.000000Z", message: "a"),
            line("2025-11-09T18:30:01.500000Z", message: "b"),
            line("2025-11-09T18:30:02.000001Z", message: "c"),
            line("2025-11-09T19:30:02+01:00", message: "d (same instant as 18:30:02 UTC)"),
            line("not a time", message: "e"),
            #"{"message":"no timestamp"}"#,
        ]
        let path = try writeLog(lines, to: directory)
        let at = { (text: String) in LogTime.parseBound(text)! }
        #expect(try matching(LogFilter(since: at("2025-11-09T18:30:01.5Z")), in: [path]).lines == [lines[1], lines[2], lines[3]])
        #expect(try matching(LogFilter(until: at("2025-11-09T18:30:02Z")), in: [path]).lines == [lines[0], lines[1], lines[3]])
        #expect(try matching(LogFilter(since: at("2025-11-09T18:30:01Z"), until: at("2025-11-09T18:30:02Z")), in: [path]).lines
            == [lines[1], lines[3]])
        #expect(try matching(LogFilter(since: at("2025-11-10")), in: [path]).lines.isEmpty)
    }

    @Test func relativeAndAbsoluteBounds() {
        let now = Date(timeIntervalSince1970: 1_762_713_000)
        #expect(LogTime.parseBound("10m", now: now) == now.addingTimeInterval(-600))
        #expect(LogTime.parseBound("2h", now: now) == now.addingTimeInterval(-7200))
        #expect(LogTime.parseBound("1d", now: now) == now.addingTimeInterval(-86_400))
        #expect(LogTime.parseBound("30s", now: now) == now.addingTimeInterval(-30))
        #expect(LogTime.parseBound("2025-11-09T18:30:00Z") == now)
        #expect(LogTime.parseBound("2025-11-09T18:30:00.000000Z") == now)
        #expect(LogTime.parseBound("2025-11-09T19:30:00+01:00") == now)
        #expect(LogTime.parseBound("2025-11-09") == Date(timeIntervalSince1970: 1_762_646_400))
        #expect(LogTime.parseBound("yesterday") == nil)
        #expect(LogTime.parseBound("10x") == nil)
        #expect(LogTime.microseconds("2025-11-09T18:30:00.123456Z") == 1_762_713_000_123_456)
        #expect(LogTime.microseconds("2025-11-09T18:30:00.1Z") == 1_762_713_000_100_000)
        #expect(LogTime.microseconds("2025-13-09T18:30:00Z") == nil)
    }

    @Test func grepText() throws {
        let lines = [line(message: "disk full"), line(message: "Disk Full"), line(message: "all good", extra: #","note":"disk full""#)]
        let path = try writeLog(lines, to: directory)
        #expect(try matching(LogFilter(text: "disk full"), in: [path]).lines == [lines[0], lines[2]])
        #expect(try matching(LogFilter(text: "\"subsystem\":\"http\""), in: [path]).lines == lines)
    }

    @Test func combinedFiltersAreANDed() throws {
        let lines = [
            line("2025-11-09T18:30:00Z", level: "ERROR", subsystem: "http", message: "boom", extra: #","run_id":"run_a""#),
            line("2025-11-09T18:31:00Z", level: "ERROR", subsystem: "http", message: "boom", extra: #","run_id":"run_b""#),
            line("2025-11-09T18:32:00Z", level: "INFO", subsystem: "http", message: "boom", extra: #","run_id":"run_a""#),
            line("2025-11-09T18:33:00Z", level: "ERROR", subsystem: "store", message: "boom", extra: #","run_id":"run_a""#),
            line("2025-11-09T18:34:00Z", level: "ERROR", subsystem: "http", message: "fine", extra: #","run_id":"run_a""#),
            line("2025-11-09T18:35:00Z", level: "CRITICAL", subsystem: "http", message: "boom", extra: #","run_id":"run_a""#),
        ]
        let path = try writeLog(lines, to: directory)
        let filter = LogFilter(subsystem: "http", runID: "run_a", errorsOnly: true,
                               since: LogTime.parseBound("2025-11-09T18:30:00Z"), until: LogTime.parseBound("2025-11-09T18:34:30Z"),
                               text: "boom")
        #expect(try matching(filter, in: [path]).lines == [lines[0]])
        var wider = filter
        wider.until = nil
        #expect(try matching(wider, in: [path]).lines == [lines[0], lines[5]])
    }

    @Test func keyOrderAndWhitespaceDoNotMatter() throws {
        let lines = [
            #"{"subsystem":"http","message":"order","level":"INFO","timestamp":"2025-11-09T18:30:00Z"}"#,
            #"{ "timestamp" : "2025-11-09T18:30:00Z" , "level" :"INFO", "subsystem" :  "http" ,"message":"spaces" }"#,
            "{\t\"subsystem\":\t\"http\"\t,\"level\":\"ERROR\"}",
            #"{"timestamp":"2025-11-09T18:30:00Z","level":"INFO","subsystem":"https","message":"prefix only"}"#,
            #"{"timestamp":"2025-11-09T18:30:00Z","level":"INFO","subsystem":"xhttp","message":"suffix only"}"#,
            "{\"subsystem\":\"http\",\"level\":\"INFO\"}\r",
        ]
        let path = try writeLog(lines, to: directory)
        #expect(try matching(LogFilter(subsystem: "http"), in: [path]).lines == [lines[0], lines[1], lines[2], lines[5]])
        #expect(try matching(LogFilter(subsystem: "http", errorsOnly: true), in: [path]).lines == [lines[2]])
    }

    @Test func valuesInsideOtherFieldsDoNotMatch() throws {
        let lines = [
            // The pattern inside another field's string (escaped as JSON requires).
            #"{"level":"ERROR","subsystem":"store","message":"payload {\"subsystem\":\"http\",\"run_id\":\"run_x\"}"}"#,
            // The value as another key's value, and as a nested key.
            #"{"level":"INFO","subsystem":"store","scheme":"http","detail":{"subsystem":"http","run_id":"run_x"}}"#,
            #"{"level":"INFO","subsystem":"store","list":["http","run_x",{"subsystem":"http"}]}"#,
            // The key name as a value.
            #"{"level":"INFO","subsystem":"store","note":"subsystem","other":"http"}"#,
            // A key that merely ends like one.
            #"{"level":"INFO","subsystem":"store","my_subsystem":"http","xrun_id":"run_x"}"#,
            // The real thing.
            #"{"level":"WARNING","subsystem":"http","run_id":"run_x","message":"real"}"#,
        ]
        let path = try writeLog(lines, to: directory)
        #expect(try matching(LogFilter(subsystem: "http"), in: [path]).lines == [lines[5]])
        #expect(try matching(LogFilter(runID: "run_x"), in: [path]).lines == [lines[5]])
        #expect(try matching(LogFilter(minimumLevel: "warning"), in: [path]).lines == [lines[0], lines[5]])
    }

    @Test func escapedQuotesAndBackslashes() throws {
        let lines = [
            #"{"subsystem":"say \"hi\"","message":"a"}"#,
            #"{"subsystem":"say \u0022hi\u0022","message":"b (same value, \\u escapes)"}"#,
            #"{"subsystem":"say \"hi","message":"c"}"#,
            #"{"subsystem":"C:\\temp","message":"d"}"#,
            #"{"message":"e \"subsystem\":\"say \\\"hi\\\"\""}"#,
            #"{"subsystem":"a\/b","message":"f (escaped slash)"}"#,
            #"{"subsystem":"a/b","message":"g"}"#,
        ]
        let path = try writeLog(lines, to: directory)
        #expect(try matching(LogFilter(subsystem: #"say "hi""#), in: [path]).lines == [lines[0], lines[1]])
        #expect(try matching(LogFilter(subsystem: #"C:\temp"#), in: [path]).lines == [lines[3]])
        #expect(try matching(LogFilter(subsystem: "a/b"), in: [path]).lines == [lines[5], lines[6]])
    }

    @Test func unicodeEscapes() throws {
        let lines = [
            #"{"subsystem":"caf\u00e9","message":"escaped"}"#,
            #"{"subsystem":"café","message":"raw UTF-8"}"#,
            #"{"subsystem":"caf\u00E9","message":"upper-case hex"}"#,
            #"{"subsystem":"cafe","message":"no accent"}"#,
            #"{"sub\u0073ystem":"café","message":"escaped key"}"#,
            #"{"subsystem":"\ud83d\ude80 launch","message":"surrogate pair"}"#,
            #"{"subsystem":"\u0068ttp","run_\u0069d":"r\u0031","message":"escaped id"}"#,
        ]
        let path = try writeLog(lines, to: directory)
        #expect(try matching(LogFilter(subsystem: "café"), in: [path]).lines == [lines[0], lines[1], lines[2], lines[4]])
        #expect(try matching(LogFilter(subsystem: "🚀 launch"), in: [path]).lines == [lines[5]])
        #expect(try matching(LogFilter(subsystem: "http", runID: "r1"), in: [path]).lines == [lines[6]])
        let entries = try LogReader(paths: [path]).entries(LogFilter(subsystem: "café"), limit: 10)
        #expect(entries.map(\.subsystem) == ["café", "café", "café", "café"])
        #expect(entries[0].message == "escaped")
    }

    @Test func malformedLinesAreSkippedAndCounted() throws {
        let lines = [
            line(message: "ok 1"),
            "not json at all",
            #"{"subsystem":"http","message":"truncated"#,
            #"{"subsystem":"http","message":"bad escape \x"}"#,
            #"{"subsystem":"http","message":"ok"} trailing"#,
            #"["subsystem","http"]"#,
            #""subsystem":"http""#,
            #"{"subsystem":"http",}"#,
            #"{"subsystem":"http","n":01}"#,
            #"{"subsystem":"http","n":tru}"#,
            "",
            "   ",
            "{\"subsystem\":\"http\",\"message\":\"raw\ttab\"}",
            #"{"subsystem":"http","n":-1.5e+3,"t":true,"f":false,"z":null,"o":{},"a":[]}"#,
            line(message: "ok 2"),
        ]
        let path = try writeLog(lines, to: directory)
        let all = try matching(LogFilter(), in: [path])
        #expect(all.lines == [lines[0], lines[13], lines[14]])
        #expect(all.stats == LogScanStats(scanned: 15, matched: 3, malformed: 10))
        // With a field filter, malformed lines holding the anchor are still recognised and skipped.
        let http = try matching(LogFilter(subsystem: "http"), in: [path])
        #expect(http.lines == [lines[0], lines[13], lines[14]])
        #expect(http.stats.malformed >= 8)
    }

    @Test func lastLineWithoutNewlineAndEmptyFiles() throws {
        let path = try writeLog([line(message: "a"), line(message: "b")], to: directory, trailingNewline: false)
        #expect(try matching(LogFilter(), in: [path]).lines.count == 2)
        let empty = try writeLog([], to: directory, name: "empty.jsonl")
        #expect(try matching(LogFilter(), in: [empty]).stats == LogScanStats())
    }

    @Test func longLinesCrossChunkBoundaries() throws {
        let long = String(repeating: "x", count: 10_000)
        let lines = (0 ..< 50).map { index in
            line(subsystem: index % 3 == 0 ? "http" : "store", message: "\(index) " + String(long.prefix(index * 173)))
        }
        let path = try writeLog(lines, to: directory)
        for chunk in [64, 100, 4096, 1 << 20] {
            #expect(try matching(LogFilter(subsystem: "http"), in: [path], chunkSize: chunk).lines
                == lines.enumerated().filter { $0.offset % 3 == 0 }.map(\.element))
        }
    }

    @Test func rotatedFilesAreReadOldestFirst() throws {
        let base = directory.path + "/grace.jsonl"
        try writeLog([line(message: "newest")], to: directory)
        try writeLog([line(message: "older")], to: directory, name: "grace.jsonl.1")
        try writeLog([line(message: "oldest")], to: directory, name: "grace.jsonl.2")
        try writeLog([line(message: "oldest of all")], to: directory, name: "grace.jsonl.10")
        try writeLog([line(message: "not a rotation")], to: directory, name: "grace.jsonl.bak")
        try writeLog([line(message: "not a rotation")], to: directory, name: "grace.jsonl.01")
        let files = LogReader.files(forLog: base)
        #expect(files == [base + ".10", base + ".2", base + ".1", base])
        let messages = try LogReader(paths: files).entries(LogFilter(), limit: 10).map(\.message)
        #expect(messages == ["oldest of all", "oldest", "older", "newest"])
        #expect(LogReader.files(forLog: directory.path + "/missing.jsonl").isEmpty)
    }

    @Test func entriesLimitsAndLastEntries() throws {
        let lines = (0 ..< 10).map { line(message: "m\($0)", extra: #","run_id":"run_\#($0 % 2)","port":\#($0)"#) }
        let path = try writeLog(lines, to: directory)
        let reader = LogReader(paths: [path])
        let first = try reader.entries(LogFilter(runID: "run_0"), limit: 2)
        #expect(first.map(\.message) == ["m0", "m2"])
        #expect(first[0] == LogEntry(timestamp: "2025-11-09T18:30:00.000000Z", level: "INFO", subsystem: "http", eventType: "log",
                                     message: "m0", runID: "run_0", raw: lines[0]))
        #expect(try reader.lastEntries(LogFilter(runID: "run_1"), limit: 3).map(\.message) == ["m5", "m7", "m9"])
        #expect(try reader.lastEntries(LogFilter(runID: "run_1"), limit: 30).count == 5)
        #expect(try reader.entries(LogFilter(), limit: 0).isEmpty)
        // scan stops when the body says so.
        var seen = 0
        let stats = try reader.scan(LogFilter()) { _ in
            seen += 1
            return seen < 3
        }
        #expect(seen == 3 && stats.matched == 3)
    }

    @Test func missingFileIsAnError() throws {
        #expect(throws: LogReaderError.self) { try LogReader(paths: [directory.path + "/nope.jsonl"]).count(LogFilter()) }
    }

    @Test func logEntryDecoding() {
        let entry = LogEntry(line: #"{"timestamp":"2025-11-09T18:30:00.5Z","level":"INFO","subsystem":"http","event_type":"x","message":42,"run_id":null}"#)
        #expect(entry?.message == "42")
        #expect(entry?.runID == nil)
        #expect(entry?.date == Date(timeIntervalSince1970: 1_762_713_000.5))
        #expect(LogEntry(line: "[1]") == nil)
        // The last of duplicate keys wins, as in jq.
        #expect(LogEntry(line: #"{"subsystem":"a","subsystem":"b"}"#)?.subsystem == "b")
    }

    @Test func linesWrittenByGracesOwnHandlerAreFound() throws {
        let fixture = try LogFixture()
        withRun("run_live") {
            fixture.logger.info("hello \"world\"", metadata: ["subsystem": "http", "note": "subsystem=http"])
            fixture.logger.error("caf\u{e9} broke", metadata: ["subsystem": "store"])
        }
        fixture.logger.warning("outside", metadata: ["subsystem": "http"])
        fixture.sink.flush()
        let reader = LogReader(paths: LogReader.files(forLog: fixture.path))
        #expect(try reader.entries(LogFilter(subsystem: "http", runID: "run_live"), limit: 10).map(\.message) == [#"hello "world""#])
        #expect(try reader.entries(LogFilter(errorsOnly: true), limit: 10).map(\.message) == ["café broke"])
        #expect(try reader.count(LogFilter(subsystem: "http")) == 2)
    }
}
