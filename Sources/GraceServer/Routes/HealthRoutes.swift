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
    }

    func register(on router: Router<some RequestContext>) {
        router.get("/health") { _, _ -> Response in
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
            let data = try JSONEncoder.grace.encode(health)
            var response = Response(status: status, headers: [.contentType: "application/json"],
                                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
            response.headers[.cacheControl] = "no-store"
            return response
        }
    }
}

extension JSONEncoder {
    /// Sorted keys, unescaped slashes: stable output that diff tools and tests can compare.
    static var grace: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
