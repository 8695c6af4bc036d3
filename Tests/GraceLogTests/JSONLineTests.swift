import Foundation
import Logging
import Testing
@testable import GraceLog

@Suite("JSON lines")
struct JSONLineTests {
    @Test("every line is a JSON object with timestamp, level, logger, subsystem, event_type and message")
    func requiredFields() throws {
        let fixture = try LogFixture(label: "grace.boot")
        let levels: [Logger.Level] = [.trace, .debug, .info, .notice, .warning, .error, .critical]
        for level in levels {
            fixture.logger.log(level: level, "message at \(level)")
        }
        let objects = try fixture.objects()
        #expect(objects.count == levels.count)
        let timestamp = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/#
        for (object, level) in zip(objects, levels) {
            let stamp = try #require(object["timestamp"] as? String)
            #expect(stamp.wholeMatch(of: timestamp) != nil, "bad timestamp \(stamp)")
            #expect(object["level"] as? String == level.rawValue.uppercased())
            #expect(object["logger"] as? String == "grace.boot")
            #expect(object["subsystem"] as? String == "grace.boot")
            #expect(object["event_type"] as? String == "log")
            #expect(object["message"] as? String == "message at \(level)")
            #expect(object["run_id"] == nil)
        }
    }

    @Test("fixed fields come first, in a stable order")
    func fieldOrder() throws {
        let fixture = try LogFixture(label: "grace.boot")
        withRun("r1") {
            fixture.logger.info("hello", metadata: ["zeta": "z", "alpha": "a"])
        }
        let line = try #require(try fixture.lines().first)
        #expect(line.hasPrefix("{\"timestamp\":\""))
        #expect(line.hasSuffix(
            "\"level\":\"INFO\",\"logger\":\"grace.boot\",\"subsystem\":\"grace.boot\",\"event_type\":\"log\",\"message\":\"hello\",\"run_id\":\"r1\",\"alpha\":\"a\",\"zeta\":\"z\"}"
        ))
    }

    @Test("timestamps are UTC with microseconds, the cached second is refreshed")
    func timestampFormatting() {
        var cache = UTCTimestampCache()
        func format(_ seconds: Int, _ nanoseconds: Int) -> String {
            var buffer = ByteBuffer()
            cache.append(seconds: seconds, nanoseconds: nanoseconds, to: &buffer)
            return buffer.string
        }
        #expect(format(1_762_713_000, 123_456_789) == "2025-11-09T18:30:00.123456Z")
        #expect(format(1_762_713_000, 7_000) == "2025-11-09T18:30:00.000007Z")
        #expect(format(951_868_799, 999_999_999) == "2000-02-29T23:59:59.999999Z")
        #expect(format(951_868_800, 0) == "2000-03-01T00:00:00.000000Z")
    }

    @Test("quotes, backslashes, control characters, emoji and non-ASCII round-trip exactly")
    func escapingRoundTrips() throws {
        let fixture = try LogFixture()
        let controls = String(decoding: (0 ..< 0x20).map { UInt8($0) } + [0x7F], as: UTF8.self)
        let samples = [
            "plain",
            "",
            "say \"hi\" to C:\\path\\file and \\\"both\\\"",
            "line one\nline two\r\nthird\tcolumn",
            controls,
            "emoji 👩‍👩‍👧‍👦 🇫🇷 ✅, accents é e\u{301}, CJK 日本語, RTL שלום, separators \u{2028}\u{2029}",
            "/slashes/ and </script> and \u{FEFF}bom",
        ]
        for sample in samples {
            fixture.logger.info(
                "\(sample)",
                metadata: [
                    "value": .string(sample),
                    sample.isEmpty ? "empty_key" : "key \(sample)": "k",
                    "nested": ["inner": .string(sample), "list": [.string(sample)]],
                ]
            )
        }
        let objects = try fixture.objects()
        #expect(objects.count == samples.count)
        for (object, sample) in zip(objects, samples) {
            #expect(object["message"] as? String == sample)
            #expect(object["value"] as? String == sample)
            #expect(object[sample.isEmpty ? "empty_key" : "key \(sample)"] as? String == "k")
            let nested = try #require(object["nested"] as? [String: Any])
            #expect(nested["inner"] as? String == sample)
            #expect((nested["list"] as? [Any])?.first as? String == sample)
        }
        let raw = try String(contentsOfFile: fixture.path, encoding: .utf8)
        #expect(raw.contains("\\u0000") && raw.contains("\\u001f") && raw.contains("\\n") && raw.contains("\\t"))
        #expect(raw.contains("👩‍👩‍👧‍👦"), "non-ASCII passes through unescaped")
    }

    @Test("metadata of each kind is written as a JSON value")
    func metadataKinds() throws {
        let fixture = try LogFixture(label: "grace.store")
        var logger = fixture.logger
        logger[metadataKey: "component"] = "store"
        logger.notice(
            "stage done",
            metadata: [
                "subsystem": "boot_pipeline",
                "event_type": "stage_complete",
                "stage": "preflight",
                "count": .stringConvertible(42),
                "details": ["duration_ms": "12", "checks": ["disk": "ok", "port": "free"]],
                "steps": ["one", ["name": "two"], ["three", "four"]],
                "message": "shadowing the message",
            ]
        )
        logger.info("plain line")
        let objects = try fixture.objects()
        #expect(objects.count == 2)
        let first = objects[0]
        #expect(first["subsystem"] as? String == "boot_pipeline")
        #expect(first["event_type"] as? String == "stage_complete")
        #expect(first["logger"] as? String == "grace.store")
        #expect(first["message"] as? String == "stage done")
        #expect(first["meta_message"] as? String == "shadowing the message")
        #expect(first["stage"] as? String == "preflight")
        #expect(first["count"] as? String == "42")
        #expect(first["component"] as? String == "store")
        let details = try #require(first["details"] as? [String: Any])
        #expect(details["duration_ms"] as? String == "12")
        #expect(details["checks"] as? [String: String] == ["disk": "ok", "port": "free"])
        let steps = try #require(first["steps"] as? [Any])
        #expect(steps.count == 3)
        #expect(steps[0] as? String == "one")
        #expect(steps[1] as? [String: String] == ["name": "two"])
        #expect(steps[2] as? [String] == ["three", "four"])

        let second = objects[1]
        #expect(second["subsystem"] as? String == "grace.store")
        #expect(second["event_type"] as? String == "log")
        #expect(second["component"] as? String == "store")
        #expect(second["stage"] == nil)
    }

    @Test("an error passed to the log call is written as error and error_type")
    func errorField() throws {
        struct DiskFull: Error, CustomStringConvertible {
            var description: String { "disk is full" }
        }
        let fixture = try LogFixture()
        fixture.logger.error("write failed", error: DiskFull())
        let object = try #require(try fixture.objects().first)
        #expect(object["error"] as? String == "disk is full")
        #expect((object["error_type"] as? String)?.hasSuffix("DiskFull") == true)
    }

    @Test("lines below the handler level are not written")
    func levelGate() throws {
        let fixture = try LogFixture(level: .warning)
        fixture.logger.info("hidden")
        fixture.logger.debug("hidden")
        fixture.logger.warning("shown")
        let objects = try fixture.objects()
        #expect(objects.map { $0["message"] as? String } == ["shown"])
    }

    @Test("plain-text mode writes one readable line per record")
    func plainText() throws {
        let fixture = try LogFixture(label: "grace.boot", structured: false)
        withRun("run-9") {
            fixture.logger.info("booting\nnow", metadata: ["stage": "preflight", "note": "two words"])
        }
        fixture.logger.warning("outside", metadata: ["event_type": "stage_failed", "subsystem": "boot_pipeline"])
        let lines = try fixture.lines()
        #expect(lines.count == 2)
        let first = lines[0]
        #expect(!first.hasPrefix("{"))
        #expect((try? parseObject(first)) == nil)
        #expect(first.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z INFO \[grace\.boot\] .*/#) != nil)
        #expect(first.contains("booting\\nnow"))
        #expect(first.contains("run_id=run-9"))
        #expect(first.contains("stage=preflight"))
        #expect(first.contains("note=\"two words\""))
        #expect(lines[1].contains("WARNING [boot_pipeline] outside event_type=stage_failed"))
        #expect(!lines[1].contains("run_id"))
    }

    @Test("console lines are readable, coloured only when asked")
    func consoleFormat() {
        let record = LogRecord(
            level: .warning,
            logger: "grace.boot",
            subsystem: "boot_pipeline",
            eventType: "log",
            message: "port busy",
            runID: "r-1",
            playbookID: nil,
            verificationID: nil,
            requestID: "q-2",
            fields: [LogField(key: "port", value: "8000")]
        )
        var plain = ByteBuffer()
        ConsoleLogOutput(colored: false, minimumLevel: .info)
            .format(record, seconds: 1_762_713_000, nanoseconds: 123_456_789, into: &plain)
        let text = plain.string
        #expect(text.wholeMatch(of: #/\d{2}:\d{2}:\d{2}\.123 WARNING  boot_pipeline port busy port=8000 run=r-1 request=q-2\n/#) != nil, "\(text)")

        var colored = ByteBuffer()
        ConsoleLogOutput(colored: true, minimumLevel: .info)
            .format(record, seconds: 1_762_713_000, nanoseconds: 123_456_789, into: &colored)
        let coloredText = colored.string
        #expect(coloredText.contains("\u{1B}[33mWARNING\u{1B}[0m"))
        #expect(coloredText.replacing(#/\x{1B}\[[0-9;]*m/#, with: "") == text)
    }

    @Test("the console shows its level and up, operator events at any level, hidden events never")
    func consoleSelection() {
        let console = ConsoleLogOutput(colored: false, minimumLevel: .warning, shownEvents: ["playbook_decision"],
                                       hiddenEvents: ["target_output"])
        #expect(console.shows(.warning) { nil })
        #expect(!console.shows(.notice) { nil })
        #expect(!console.shows(.info) { "log" })
        #expect(console.shows(.info) { "playbook_decision" })
        #expect(!console.shows(.error) { "target_output" })
        // Without event types, the event type is never looked up.
        let plain = ConsoleLogOutput(colored: false, minimumLevel: .error)
        #expect(!plain.shows(.warning) { Issue.record("looked up"); return nil })
        #expect(plain.shows(.critical) { Issue.record("looked up"); return nil })
    }

    @Test("the handler factory shares the sink across labels")
    func handlerFactory() throws {
        let directory = try TemporaryDirectory()
        let sink = try LogFileSink(configuration: .init(path: directory.path + "/grace.jsonl"))
        let factory = GraceLogging.makeHandlerFactory(sink: sink, console: nil, redactor: .none, level: .debug)
        let boot = Logger(label: "grace.boot", factory: factory)
        let store = Logger(label: "grace.store", factory: factory)
        boot.debug("one")
        store.info("two")
        sink.flush()
        let subsystems = try readLines(directory.path + "/grace.jsonl").map { try parseObject($0)["subsystem"] as? String }
        #expect(subsystems == ["grace.boot", "grace.store"])
    }

    @Test("the benchmark writes the requested lines with a run id")
    func benchmark() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/bench/grace.jsonl"
        let rate = try LogBenchmark.run(lines: 5_000, path: path)
        #expect(rate > 0)
        let lines = try readLines(path)
        #expect(lines.count == 5_000)
        let last = try parseObject(try #require(lines.last))
        #expect(last["run_id"] as? String != nil)
        #expect(last["iteration"] as? String == "4999")
    }
}
