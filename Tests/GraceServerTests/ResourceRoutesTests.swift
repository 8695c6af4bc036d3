import Foundation
import GraceCore
import GraceStore
import Testing
@testable import GraceServer

@Suite("Approvals, playbooks, boot reports, audit, metrics, startup dashboard")
struct ResourceRoutesTests {
    static func sampleReport(status: BootStatus = .partial) -> BootReport {
        BootReport(runID: "run_b00700000001", profile: "production", status: status, startedAt: "2025-11-09T18:30:00.000000Z",
                   endedAt: "2025-11-09T18:30:01.500000Z", durationMS: 1500,
                   stages: [
                       StageOutcome(name: "environment", critical: true, status: .passed, findings: [], durationMS: 400),
                       StageOutcome(name: "secrets", critical: false, status: .failed,
                                    findings: [Finding(message: "GITHUB_TOKEN is not set")], durationMS: 100),
                   ],
                   snapshotID: "snap_1", rolledBack: false)
    }

    static func writeReports(_ layout: GraceHomeLayout) throws {
        let encoder = JSONEncoder()
        try encoder.encode(sampleReport()).write(to: URL(fileURLWithPath: layout.lastBootReportJSON))
        let original = #"{"boot_timestamp": "2025-11-08T10:00:00", "stages": [], "incidents": [{"id": "x"}], "fixes_applied": [], "summary": {"success": true, "stages_passed": 7, "stages_failed": 0, "metrics": {}}}"#
        try Data(original.utf8).write(to: URL(fileURLWithPath: layout.trainingDirectory + "/boot_20251108_100000.json"))
        try Data(#"{"boot_timestamp": "2025-11-09T18:30:00Z", "run_id": "run_b00700000001", "outcome": "partial"}"#.utf8)
            .write(to: URL(fileURLWithPath: layout.trainingDirectory + "/boot_20251109_183000.json"))
        try Data(#"{"run_id": "run_second_same_second"}"#.utf8)
            .write(to: URL(fileURLWithPath: layout.trainingDirectory + "/boot_20251109_183000_2.json"))
        try Data("not json".utf8).write(to: URL(fileURLWithPath: layout.trainingDirectory + "/boot_20251101_000000.json"))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: layout.trainingDirectory + "/_metadata.json"))
    }

    @Test("approvals: list by status, approve and reject (audited), deciding twice is 409")
    func approvals() async throws {
        try await TestServer.with { server in
            let first = try await server.repositories.approvals.create(ApprovalRequest(requestedBy: "healer", reason: "unlock db",
                                                                                        playbookID: "unlock_database"))
            let second = try await server.repositories.approvals.create(ApprovalRequest(requestedBy: "healer", reason: "fix imports",
                                                                                         playbookID: "fix_circular_imports"))
            let pending = try await server.get("/api/approvals?status=pending")
            #expect(pending.status == 200)
            let list = try #require(pending.json["approvals"] as? [[String: Any]])
            #expect(Set(list.compactMap { $0["event_id"] as? String }) == [first.eventID, second.eventID])
            #expect(list.allSatisfy { $0["decided_at"] is NSNull })

            let approved = try await server.send("POST", "/api/approvals/\(first.eventID)/approve", body: #"{"reason": "looks safe", "decided_by": "ops"}"#)
            #expect(approved.status == 200, "\(approved.text)")
            #expect(approved.json["status"] as? String == "approved")
            // Who decided is who authenticated (no token here: loopback); "ops" is only a claim.
            #expect(approved.json["decision_by"] as? String == "loopback")
            #expect(approved.json["decision_claimed_by"] as? String == "ops")
            #expect(approved.json["decision_reason"] as? String == "looks safe")
            let rejected = try await server.send("POST", "/api/approvals/\(second.eventID)/reject")
            #expect(rejected.json["status"] as? String == "rejected")
            #expect(rejected.json["decision_by"] as? String == "loopback")
            #expect(rejected.json["decision_claimed_by"] is NSNull)

            let twice = try await server.send("POST", "/api/approvals/\(first.eventID)/reject")
            #expect(twice.status == 409)
            #expect(try await server.send("POST", "/api/approvals/apr_000000000000/approve").status == 404)
            #expect(try await server.send("POST", "/api/approvals/\(first.eventID)/approve", body: "{nope").status == 400)
            #expect(try await server.send("POST", "/api/approvals/\(first.eventID)/approve", body: #"{"reason": 5}"#).status == 422)
            #expect(try await server.get("/api/approvals?status=maybe").status == 422)
            #expect((try await server.get("/api/approvals?status=pending").json["approvals"] as? [Any])?.count == 0)

            let audit = try await server.get("/api/audit?limit=10")
            let entries = try #require(audit.json["entries"] as? [[String: Any]])
            let actions = entries.compactMap { $0["action"] as? String }
            #expect(actions.contains("approval.approve"))
            #expect(actions.contains("approval.reject"))
            let approveEntry = try #require(entries.first { $0["action"] as? String == "approval.approve" })
            #expect(approveEntry["actor"] as? String == "loopback")
            #expect((approveEntry["payload"] as? [String: Any])?["claimed_by"] as? String == "ops")
            #expect((approveEntry["payload"] as? [String: Any])?["reason"] as? String == "looks safe")
            let verify = try await server.get("/api/audit/verify")
            #expect(verify.json["intact"] as? Bool == true)
            #expect(verify.json["entries_checked"] as? Int == 2)
            #expect(verify.json["first_bad_sequence"] is NSNull)
            #expect(try await server.get("/api/audit?limit=0").status == 422)
            let named = try #require(try await server.get("/api/audit?mentions=\(first.eventID)").json["entries"] as? [[String: Any]])
            #expect(named.compactMap { $0["action"] as? String } == ["approval.approve"])
            #expect(try await server.get("/api/audit?mentions=" + String(repeating: "x", count: 201)).status == 422)
        }
    }

    @Test("GET /api/playbooks lists the store's playbooks with their counters")
    func playbooks() async throws {
        try await TestServer.with { server in
            try await server.repositories.playbooks.upsert(PlaybookRecord(id: "unlock_database", name: "Unlock database", riskLevel: .low))
            try await server.repositories.playbooks.recordAttempt(playbookID: "unlock_database", patternID: "database_locked",
                                                                  succeeded: true, at: Timestamp.now())
            let reply = try await server.get("/api/playbooks")
            let playbooks = try #require(reply.json["playbooks"] as? [[String: Any]])
            #expect(playbooks.count == 1)
            #expect(playbooks[0]["id"] as? String == "unlock_database")
            #expect(playbooks[0]["risk_level"] as? String == "low")
            #expect(playbooks[0]["autonomy_tier"] as? String == "tier_1")
            #expect(playbooks[0]["attempts"] as? Int == 1)
            #expect(playbooks[0]["successes"] as? Int == 1)
        }
    }

    @Test("boot reports: the last one, and the training records newest first, paged")
    func bootReports() async throws {
        try await TestServer.with { server in
            #expect(try await server.get("/api/boot/reports/last").status == 404)
            #expect((try await server.get("/api/boot/reports").json["total"] as? Int) == 0)
            try Self.writeReports(server.layout)
            let last = try await server.get("/api/boot/reports/last")
            #expect(last.status == 200)
            #expect(last.json["boot_status"] as? String == "partial")
            #expect(last.json["run_id"] as? String == "run_b00700000001")

            let page = try await server.get("/api/boot/reports?limit=3")
            #expect(page.json["total"] as? Int == 4)
            let reports = try #require(page.json["reports"] as? [[String: Any]])
            #expect(reports.map { $0["file"] as? String } == ["boot_20251109_183000_2.json", "boot_20251109_183000.json", "boot_20251108_100000.json"])
            #expect(reports[1]["outcome"] as? String == "partial")
            #expect(reports[2]["success"] as? Bool == true)
            #expect(reports[2]["stages_passed"] as? Int == 7)
            #expect(reports[2]["incidents"] as? Int == 1)
            let rest = try await server.get("/api/boot/reports?limit=3&offset=3")
            let unreadable = try #require((rest.json["reports"] as? [[String: Any]])?.first)
            #expect(unreadable["file"] as? String == "boot_20251101_000000.json")
            #expect(unreadable["run_id"] is NSNull)
            #expect(try await server.get("/api/boot/reports?limit=1000").status == 422)
        }
    }

    @Test("metric snapshots: newest first, or the latest per metric")
    func snapshots() async throws {
        try await TestServer.with { server in
            let definition = try #require(MetricCatalog.definition("pending_approvals"))
            try await server.repositories.metrics.record([
                MetricSnapshot(metricID: "pending_approvals", windowStart: "2025-11-09T18:00:00.000000Z", windowEnd: "2025-11-09T18:01:00.000000Z",
                               stats: ["value": 1], bands: definition.bandsJSON, latestBand: .good),
                MetricSnapshot(metricID: "pending_approvals", windowStart: "2025-11-09T18:01:00.000000Z", windowEnd: "2025-11-09T18:02:00.000000Z",
                               stats: ["value": 30], bands: definition.bandsJSON, latestBand: .critical),
            ])
            let all = try await server.get("/api/metrics/snapshots")
            let snapshots = try #require(all.json["snapshots"] as? [[String: Any]])
            #expect(snapshots.count == 2)
            #expect(snapshots[0]["latest_band"] as? String == "critical")
            let latest = try await server.get("/api/metrics/snapshots?latest=true")
            #expect((latest.json["snapshots"] as? [Any])?.count == 1)
            #expect(try await server.get("/api/metrics/snapshots?latest=perhaps").status == 422)
        }
    }

    @Test("startup dashboard: the original's fields from the store and the last boot report")
    func dashboard() async throws {
        try await TestServer.with(prepare: Self.writeReports) { server in
            _ = try await server.createRun()
            _ = try await server.repositories.approvals.create(ApprovalRequest(requestedBy: "healer", reason: "r", playbookID: "p"))
            try await server.repositories.verifications.record(VerificationEvent(
                verificationType: "post_fix", targetComponent: "database", verificationMethod: "quick_check", result: "ok", passed: true))
            let definition = try #require(MetricCatalog.definition("disk_free_bytes"))
            try await server.repositories.metrics.record([
                MetricSnapshot(metricID: "disk_free_bytes", windowStart: "2025-11-09T18:00:00.000000Z", windowEnd: "2025-11-09T18:01:00.000000Z",
                               stats: ["value": 1000], bands: definition.bandsJSON, latestBand: .critical),
            ])
            let reply = try await server.get("/api/startup/dashboard")
            #expect(reply.status == 200)
            let d = reply.json
            let original = ["boot_status", "boot_timestamp", "boot_duration_ms", "active_runs", "pending_approvals", "metrics_health",
                            "critical_metrics", "playbooks_available", "playbooks_executed_today", "last_verification", "issues", "recommendations"]
            #expect(Set(original).isSubset(of: Set(d.keys)))
            #expect(d["boot_status"] as? String == "partial")
            #expect(d["boot_timestamp"] as? String == "2025-11-09T18:30:00.000000Z")
            #expect(d["boot_duration_ms"] as? Double == 1500)
            #expect(d["active_runs"] as? Int == 1)
            #expect(d["pending_approvals"] as? Int == 1)
            #expect(d["metrics_health"] as? String == "critical")
            #expect((d["critical_metrics"] as? [[String: Any]])?.first?["metric_id"] as? String == "disk_free_bytes")
            let verification = try #require(d["last_verification"] as? [String: Any])
            #expect(Set(verification.keys) == ["type", "result", "passed", "timestamp"])
            #expect(verification["passed"] as? Bool == true)
            #expect((d["issues"] as? [String])?.contains { $0.contains("secrets") } == true)
            #expect((d["recommendations"] as? [String])?.isEmpty == false)
            #expect((d["metrics_by_band"] as? [String: Int]) == ["good": 0, "warning": 0, "critical": 1])
            #expect((d["last_boot"] as? [String: Any])?["stages_failed"] as? Int == 1)
            #expect((d["quick_links"] as? [[String: Any]])?.isEmpty == false)
            let score = try #require(d["health_score"] as? Int)
            #expect((0...100).contains(score))
            #expect(score < 100, "a critical metric and a pending approval cost points")
            #expect(d["predicted_failures"] is [Any])

            let summary = try await server.get("/api/startup/health-summary")
            #expect(summary.status == 200)
            #expect(Set(summary.json.keys) == ["database", "playbooks", "pending_approvals", "last_boot"])
            #expect(summary.json["database"] as? String == "ok")
            #expect(summary.json["pending_approvals"] as? Int == 1)
            #expect((summary.json["last_boot"] as? [String: Any])?["status"] as? String == "partial")
        }
    }

    @Test("GET /api/patterns lists the knowledge base's patterns with fix rankings")
    func patterns() async throws {
        try await TestServer.with { server in
            let reply = try await server.get("/api/patterns")
            #expect(reply.status == 200, "\(reply.text)")
            let patterns = try #require(reply.json["patterns"] as? [[String: Any]])
            #expect(patterns.contains { $0["pattern_id"] as? String == "database_locked" })
            #expect(reply.json["health_score"] is Int)
            #expect(reply.json["predictions"] is [Any])
        }
    }

    @Test("before any boot the dashboard says unknown; /health reports the store")
    func emptyHome() async throws {
        try await TestServer.with { server in
            let d = try await server.get("/api/startup/dashboard").json
            #expect(d["boot_status"] as? String == "unknown")
            #expect(d["boot_timestamp"] is NSNull)
            #expect(d["last_verification"] is NSNull)
            #expect(d["metrics_health"] as? String == "unknown")
            let summary = try await server.get("/api/startup/health-summary").json
            #expect(summary["last_boot"] is NSNull)
            let health = try await server.get("/health")
            #expect(health.status == 200)
            #expect(health.json["status"] as? String == "ok")
            #expect(health.json["active_runs"] as? Int == 0)
        }
    }

    @Test("audit: pages go back through the chain with before")
    func auditPages() async throws {
        try await TestServer.with { server in
            for n in 1...5 {
                try await server.repositories.audit.append(AuditEvent(actor: "test", action: "step_\(n)", resource: "r", subsystem: "test", result: "success"))
            }
            func sequences(_ query: String) async throws -> [Int] {
                let reply = try await server.get("/api/audit" + query)
                #expect(reply.status == 200, "\(reply.text)")
                return (reply.json["entries"] as? [[String: Any]] ?? []).compactMap { $0["sequence"] as? Int }
            }
            let newest = try await sequences("?limit=2")
            #expect(newest.count == 2 && newest[0] > newest[1])
            let next = try await sequences("?limit=2&before=\(newest[1])")
            #expect(next == [newest[1] - 1, newest[1] - 2], "the page right after, newest first")
            #expect(try await sequences("?before=1").isEmpty)
            #expect(try await server.get("/api/audit?before=0").status == 422)
        }
    }
}
