import Foundation
import GraceCore
@testable import GraceStore
import Testing
@testable import GraceServer

/// `GET /api/events` read by curl, a real HTTP client that streams, from a real server.
@Suite struct LiveEventRoutesTests {
    static let curl = ["/usr/bin/curl", "/bin/curl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// One event as the stream sent it.
    struct Event: Equatable {
        var id: String?
        var name: String
        var data: [String: String]
    }

    /// Runs curl on the stream, doing `meanwhile` once it connected, until `events` events have
    /// arrived (then curl is stopped) or `seconds` passed (curl's own limit: exit 28) or the server
    /// ended the stream (exit 0). The events read and how curl ended.
    static func read(_ server: TestServer, events expected: Int? = nil, seconds: Int = 30, headers: [String] = [], query: String = "",
                     meanwhile: () async throws -> Void = {}) async throws -> (events: [Event], status: Int32, stopped: Bool, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(curl))
        var arguments = ["-sN", "--max-time", "\(seconds)"]
        if let token = server.token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        for header in headers { arguments += ["-H", header] }
        process.arguments = arguments + [server.base + "/api/events" + query]
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("sse-\(UUID().uuidString)")
        #expect(FileManager.default.createFile(atPath: output.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: output) }
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        func text() -> String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
        // Connected once the stream's opening comment arrived (the machine may be busy: up to 30 s).
        for _ in 0..<600 where process.isRunning && !text().contains(": connected") { try await Task.sleep(for: .milliseconds(50)) }
        try await meanwhile()
        while process.isRunning {
            if let expected, parse(text()).count >= expected {
                // Not waited for: Foundation may notice curl's exit late, and what it read is already here.
                process.terminate()
                return (parse(text()), -1, true, text())
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return (parse(text()), process.terminationStatus, false, text())
    }

    static func parse(_ text: String) -> [Event] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var id: String?, name: String?, data: [String: String] = [:]
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { id = String(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: "), let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any] {
                    data = object.mapValues { "\($0)" }
                }
            }
            return name.map { Event(id: id, name: $0, data: data) }
        }
    }

    @Test("runs, steps and approvals arrive as events; a reconnect with Last-Event-ID gets what it missed",
          .enabled(if: curl != nil), .timeLimit(.minutes(2)))
    func changesArriveAndAResumeGetsWhatItMissed() async throws {
        try await TestServer.with(token: "sse-token") { server in
            var runID = "", stepID = "", approvalID = ""
            let live = try await Self.read(server, events: 4) {
                runID = try await server.createRun()
                let step = try await server.send("POST", "/api/agent/runs/\(runID)/steps",
                                                 body: #"{"step_type":"tool","status":"running","description":"fetch"}"#)
                stepID = try #require(step.json["step_id"] as? String)
                let approval = try await server.repositories.approvals.create(ApprovalRequest(requestedBy: "grace", reason: "r"))
                approvalID = approval.eventID
                #expect(try await server.send("POST", "/api/approvals/\(approvalID)/approve", body: #"{"decided_by":"t"}"#).status == 200)
            }
            #expect(live.stopped, "the stream stays open until the client goes: \(live.text)")
            try #require(live.events.map(\.name) == ["run", "step", "approval", "approval"], "\(live.text)")
            #expect(live.events.map { $0.data["id"] } == [runID, stepID, approvalID, approvalID])
            #expect(live.events[1].data["run_id"] == runID)
            let ids = live.events.compactMap { $0.id.flatMap(Int64.init) }
            #expect(ids.count == 4 && ids == ids.sorted())

            // Reconnecting after the first event: the other three, then the ones made since.
            let resumed = try await Self.read(server, events: 4, headers: ["Last-Event-ID: \(ids[0])"]) {
                _ = try await server.send("PUT", "/api/agent/runs/\(runID)/complete?status=success")
            }
            #expect(resumed.events.map(\.name) == ["step", "approval", "approval", "run"], "\(resumed.text)")
            #expect(resumed.events.first?.id == String(ids[1]))
            // ?after= does the same for clients that cannot set the header.
            let after = try await Self.read(server, events: 2, query: "?after=\(ids[2])")
            #expect(after.events.map(\.name) == ["approval", "run"])

            // An id the store never reached (a restored store): reset first, then live.
            let ahead = try await Self.read(server, events: 1, headers: ["Last-Event-ID: 999999"])
            #expect(ahead.events.first?.name == "reset", "\(ahead.text)")
            #expect(ahead.events.first?.data["reason"]?.contains("999999") == true)

            #expect(try await server.send("GET", "/api/events?after=-3").status == 422)
            let bad = try await server.send("GET", "/api/events", headers: ["Last-Event-ID": "seven"])
            #expect(bad.status == 422 && bad.text.contains("Last-Event-ID"), "\(bad.text)")
            #expect(try await server.send("GET", "/api/events", authorized: false).status == 401, "the token guards it as any data")
        }
    }

    @Test("a stream the client left behind is given up when the feed was pruned past it", .enabled(if: curl != nil), .timeLimit(.minutes(2)))
    func aResumeBeyondWhatIsKeptIsAReset() async throws {
        try await TestServer.with { server in
            try await server.store.grace.write { db in
                try db.execute(sql: """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000)
                    INSERT INTO change_feed (kind, entity_id, run_id) SELECT 'run', 'run_' || i, NULL FROM n
                    """)
            }
            let stale = try await Self.read(server, events: 500, headers: ["Last-Event-ID: 5"])
            #expect(stale.events.first?.name == "reset", "\(stale.text.prefix(300))")
            #expect(stale.events.first?.data["reason"]?.contains("no longer kept") == true)
            // Then what is kept, from the oldest on, in order.
            let ids = stale.events.dropFirst().compactMap { $0.id.flatMap(Int64.init) }
            let oldest = try #require(try await server.repositories.changes.bounds().oldest)
            #expect(ids.first == oldest && ids.count >= 499, "\(ids.prefix(3)) of \(ids.count)")
            #expect(zip(ids, ids.dropFirst()).allSatisfy { $1 == $0 + 1 })
        }
    }

    @Test("stopping the server ends an open stream, so shutdown does not wait on it", .enabled(if: curl != nil), .timeLimit(.minutes(2)))
    func shutdownEndsTheStream() async throws {
        let server = try await TestServer.start(token: nil, prepare: { _ in })
        let result = try await Self.read(server, seconds: 90) { await server.stop() }
        #expect(result.status == 0, "curl saw the stream end, not its own 90 s run out: \(result.status)")
    }

    @Test func streamSlotsAreGivenBackWhenAStreamIsReleased() {
        let slots = StreamSlots(limit: 2)
        var first = slots.take()
        let second = slots.take()
        #expect(first != nil && second != nil && slots.take() == nil)
        first = nil
        #expect(slots.count == 1)
        #expect(slots.take() != nil)
        _ = (first, second)
    }
}
