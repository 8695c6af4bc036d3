import Foundation
import GraceBoot
import GraceCore
import GraceStore
import Hummingbird

/// The startup dashboard (the original's fields, served from the store and the last boot
/// report) and its compact form for probes.
struct StartupRoutes {
    let dependencies: ServerDependencies

    /// `GET /api/startup/health-summary`: `{database, playbooks, pending_approvals, last_boot}`.
    struct HealthSummary: Encodable {
        struct LastBoot: Encodable {
            var runID: String
            var status: BootStatus
            var timestamp: String
            var durationMS: Double

            enum CodingKeys: String, CodingKey { case runID = "run_id", status, timestamp, durationMS = "duration_ms" }
        }

        /// `ok`, or what went wrong reading the store.
        var database: String
        var playbooks: Int
        var pendingApprovals: Int
        var lastBoot: LastBoot?

        enum CodingKeys: String, CodingKey { case database, playbooks, pendingApprovals = "pending_approvals", lastBoot = "last_boot" }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(database, forKey: .database)
            try container.encode(playbooks, forKey: .playbooks)
            try container.encode(pendingApprovals, forKey: .pendingApprovals)
            try container.encode(lastBoot, forKey: .lastBoot)
        }
    }

    func register(on api: APIRouter) {
        api.get("/api/startup/dashboard") { _, _ in
            let builder = StartupDashboardBuilder(repositories: dependencies.repositories, layout: dependencies.layout,
                                                  settings: dependencies.settings)
            return JSONResponse.make(try await builder.build())
        }
        api.get("/api/startup/health-summary") { _, _ in
            let report = StartupDashboardBuilder.lastBootReport(in: dependencies.layout)
            var summary = HealthSummary(database: "ok", playbooks: 0, pendingApprovals: 0, lastBoot: report.map {
                .init(runID: $0.runID, status: $0.status, timestamp: $0.startedAt, durationMS: $0.durationMS)
            })
            do {
                summary.playbooks = try await dependencies.repositories.playbooks.playbooks().count
                summary.pendingApprovals = try await dependencies.repositories.approvals.count(status: .pending)
            } catch {
                // A probe wants to hear that the database is the problem, not get a bare failure.
                summary.database = "error: \(APIError.from(error).message)"
                return JSONResponse.make(summary, status: .serviceUnavailable)
            }
            return JSONResponse.make(summary)
        }
    }
}
