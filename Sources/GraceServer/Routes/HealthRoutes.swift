import Foundation
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

        enum CodingKeys: String, CodingKey {
            case status, version, startedAt = "started_at", uptimeSeconds = "uptime_seconds", database, activeRuns = "active_runs"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            try container.encode(version, forKey: .version)
            try container.encode(startedAt, forKey: .startedAt)
            try container.encode(uptimeSeconds, forKey: .uptimeSeconds)
            try container.encode(database, forKey: .database)
            try container.encode(activeRuns, forKey: .activeRuns)
        }
    }

    func register(on api: APIRouter) {
        api.get("/health") { _, _ in
            var health = Health(status: "ok", version: dependencies.version,
                                startedAt: Timestamp.string(from: dependencies.startedAt),
                                uptimeSeconds: (Date().timeIntervalSince(dependencies.startedAt) * 1000).rounded() / 1000,
                                database: "ok")
            var status = HTTPResponse.Status.ok
            do {
                health.activeRuns = try await dependencies.repositories.runs.activeRuns().count
            } catch {
                health.status = "degraded"
                health.database = String(describing: error)
                status = .serviceUnavailable
            }
            return JSONResponse.make(health, status: status)
        }
    }
}
