import Foundation
import GraceCore
import Testing
@testable import GraceServer

/// `GET /api/history`, what the dashboard's charts over time are drawn from.
@Suite struct HistoryRoutesTests {
    @Test("/api/history counts boots, detections and fixes per UTC day, and lists each boot's health score")
    func perDayCountsAndScores() async throws {
        try await TestServer.with { server in
            let repositories = server.repositories
            let boot = try await repositories.runs.create(AgentRun(kind: "boot", trigger: .boot, subsystem: "boot_pipeline"))
            _ = try await repositories.runs.complete(runID: boot.runID, status: .failed, at: Timestamp.now())
            // 40 days ago: outside the default 30 days.
            let old = Timestamp.string(from: Date().addingTimeInterval(-40 * 86_400))
            _ = try await repositories.runs.create(AgentRun(kind: "boot", trigger: .boot, subsystem: "boot_pipeline", startedAt: old))
            try await repositories.playbooks.record(PlaybookRun(playbookID: "checkpoint_wal", patternID: "database_locked",
                                                                status: .succeeded, decision: "execute"))
            try await repositories.playbooks.record(PlaybookRun(playbookID: "checkpoint_wal", patternID: "database_locked",
                                                                status: .rolledBack, decision: "execute"))
            try await repositories.playbooks.record(PlaybookRun(playbookID: "fix_circular_imports", patternID: "circular_import_avn_models",
                                                                status: .observed, decision: "await_approval"))
            try await repositories.audit.append(AuditEvent(actor: "grace", action: "boot.failed", resource: "boot/\(boot.runID)",
                                                           subsystem: "boot_pipeline", payload: ["health_score": 37], result: "failed"))

            let reply = try await server.get("/api/history")
            #expect(reply.status == 200, "\(reply.text)")
            let json = reply.json
            let today = String(Timestamp.now().prefix(10))
            let days = try #require(json["days"] as? [[String: Any]])
            #expect(days.count == 1, "\(days)")
            let day = try #require(days.first)
            #expect(day["day"] as? String == today)
            #expect(day["boots"] as? [String: Int] == ["failed": 1])
            #expect(day["decisions"] as? [String: Int] == ["database_locked": 2, "circular_import_avn_models": 1])
            #expect(day["fixes_executed"] as? Int == 2)
            #expect(day["fixes_succeeded"] as? Int == 1)
            let scores = try #require(json["health_scores"] as? [[String: Any]])
            #expect(scores.count == 1)
            #expect(scores.first?["score"] as? Int == 37)
            #expect(scores.first?["run_id"] as? String == boot.runID)
            let since = try #require(json["since"] as? String)
            #expect(since.hasSuffix("T00:00:00.000000Z"))
            #expect(Timestamp.date(from: since).map { Date().timeIntervalSince($0) / 86_400 }.map { $0 > 29 && $0 < 30 } == true, "\(since)")

            let longer = try await server.get("/api/history?days=60").json
            #expect((longer["days"] as? [[String: Any]])?.count == 2, "the boot 40 days ago is within 60 days")
            for bad in ["days=0", "days=367", "days=week"] {
                let refused = try await server.get("/api/history?" + bad)
                #expect(refused.status == 422, "\(bad): \(refused.status) \(refused.text)")
            }
        }
    }
}
