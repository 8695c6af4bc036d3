import Foundation
import GraceCore
import Testing
@testable import GraceServer

@Suite("Batch event ingestion")
struct EventRoutesTests {
    static let batch = """
        {"events": [
          {"event_id": "ev-1", "type": "run_started", "run_id": "run_cli_1", "subsystem": "etl", "agent": "loader"},
          {"event_id": "ev-2", "type": "step", "run_id": "run_cli_1", "step_id": "stp_extract", "step_type": "tool",
           "description": "extract", "status": "success", "timestamp": "2025-06-01T10:00:00Z", "duration_ms": 120},
          {"event_id": "ev-3", "type": "step", "run_id": "run_nope", "step_id": "stp_x", "step_type": "tool", "status": "success"},
          {"type": "step", "run_id": "run_cli_1"},
          {"event_id": "ev-4", "type": "run_completed", "run_id": "run_cli_1", "status": "success"}
        ]}
        """

    @Test("Each event gets its result; the batch sent again is all duplicates and changes nothing")
    func batchIsIdempotentWithPerEventResults() async throws {
        try await TestServer.with(token: "tok") { server in
            let first = try await server.send("POST", "/api/agent/events", body: Self.batch)
            #expect(first.status == 200, "\(first.text)")
            let results = try #require(first.json["results"] as? [[String: Any]])
            #expect(results.map { $0["status"] as? String } == ["applied", "applied", "rejected", "rejected", "applied"])
            #expect(((results[2]["error"] as? [String: Any])?["message"] as? String)?.contains("run_nope") == true)
            #expect(((results[3]["error"] as? [String: Any])?["message"] as? String)?.contains("event_id") == true)
            #expect(first.json["applied"] as? Int == 3 && first.json["rejected"] as? Int == 2)
            let again = try await server.send("POST", "/api/agent/events", body: Self.batch)
            #expect((again.json["results"] as? [[String: Any]])?.map { $0["status"] as? String }
                        == ["duplicate", "duplicate", "rejected", "rejected", "duplicate"])
            let run = try #require(try await server.repositories.runs.run(id: "run_cli_1"))
            #expect(run.status == .success && run.subsystem == "etl" && run.body?["agent"] == "loader")
            let steps = try await server.repositories.runs.steps(runID: "run_cli_1")
            #expect(steps.map(\.stepID) == ["stp_extract"] && steps.first?.subsystem == "etl" && steps.first?.durationMS == 120)
            #expect(try await server.send("POST", "/api/agent/events", body: Self.batch, authorized: false).status == 401)
            let notArray = try await server.send("POST", "/api/agent/events", body: #"{"events": 3}"#)
            #expect(notArray.status == 422)
        }
    }
}
