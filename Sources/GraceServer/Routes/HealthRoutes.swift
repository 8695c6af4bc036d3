import Foundation
import GraceBoot
import GraceCore
import GraceStore
import Hummingbird

/// `GET /health`: liveness plus a cheap read of the store.
struct HealthRoutes {
    let dependencies: ServerDependencies

    struct Health: Encodable {
        var status: String
        var version: String
        var startedAt: String
        var uptimeSeconds: Double
        var database: String
        var activeRuns: Int?
        var nodeID: String
        var store: String
        var target: TargetHealth?
        var auditFailures: AuditFailures.Summary
        /// Whether the API needs GRACE_API_TOKEN: the dashboard asks for it before its first data call.
        var tokenRequired: Bool

        enum CodingKeys: String, CodingKey {
            case status, version, startedAt = "started_at", uptimeSeconds = "uptime_seconds", database, activeRuns = "active_runs"
            case nodeID = "node_id", store, target, auditFailures = "audit_failures", tokenRequired = "token_required"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            try container.encode(version, forKey: .version)
            try container.encode(startedAt, forKey: .startedAt)
            try container.encode(uptimeSeconds, forKey: .uptimeSeconds)
            try container.encode(database, forKey: .database)
            try container.encode(activeRuns, forKey: .activeRuns)
            try container.encode(nodeID, forKey: .nodeID)
            try container.encode(store, forKey: .store)
            try container.encode(auditFailures, forKey: .auditFailures)
            try container.encode(target, forKey: .target)
            try container.encode(tokenRequired, forKey: .tokenRequired)
        }
    }

    /// The supervised service, when Grace runs one.
    struct TargetHealth: Encodable {
        var phase: String
        var healthy: Bool
        var pid: Int32?
        var runID: String?
        var restarts: Int
        var lastExit: String?
        var detail: String

        init(_ status: TargetSupervisor.Status) {
            phase = status.phase.rawValue
            healthy = status.healthy
            pid = status.pid
            runID = status.runID
            restarts = status.restarts
            lastExit = status.lastExit
            detail = status.detail
        }

        enum CodingKeys: String, CodingKey {
            case phase, healthy, pid, runID = "run_id", restarts, lastExit = "last_exit", detail
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(phase, forKey: .phase)
            try container.encode(healthy, forKey: .healthy)
            try container.encode(pid, forKey: .pid)
            try container.encode(runID, forKey: .runID)
            try container.encode(restarts, forKey: .restarts)
            try container.encode(lastExit, forKey: .lastExit)
            try container.encode(detail, forKey: .detail)
        }
    }

    func register(on api: APIRouter) {
        api.get("/health") { _, _ in
            var health = Health(status: "ok", version: dependencies.version,
                                startedAt: Timestamp.string(from: dependencies.startedAt),
                                uptimeSeconds: (Date().timeIntervalSince(dependencies.startedAt) * 1000).rounded() / 1000,
                                database: "ok", nodeID: dependencies.settings.nodeID,
                                store: dependencies.settings.databaseURL == nil ? "sqlite" : "postgres",
                                target: dependencies.targetSupervisor.map { TargetHealth($0.status) },
                                auditFailures: dependencies.repositories.auditFailures.summary,
                                tokenRequired: dependencies.settings.apiToken != nil)
            if health.auditFailures.count > 0 { health.status = "degraded" }
            var status = HTTPResponse.Status.ok
            do {
                health.activeRuns = try await dependencies.repositories.runs.count(matching: RunQuery(status: .active))
            } catch {
                health.status = "degraded"
                // What the API would answer for it: store errors name the backend, never its address.
                health.database = APIError.from(error).message
                status = .serviceUnavailable
            }
            return JSONResponse.make(health, status: status)
        }
    }
}
