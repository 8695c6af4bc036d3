import Foundation
import GraceCore
import GraceStore
import Hummingbird

/// Metric snapshots from the continuous monitor, and the Prometheus exposition at `/metrics`.
struct MetricRoutes {
    let dependencies: ServerDependencies
    let metrics: HTTPMetrics

    struct List: Encodable {
        var snapshots: [MetricSnapshot]
    }

    func register(on api: APIRouter) {
        api.get("/api/metrics/snapshots") { request, _ in
            let query = QueryParameters(request)
            let limit = try query.int("limit", default: 100, range: 1...1000)
            let latest = try query.bool("latest", default: false)
            let repository = dependencies.repositories.metrics
            let snapshots = latest ? try await repository.latestPerMetric() : try await repository.recent(limit: limit)
            return JSONResponse.make(List(snapshots: Array(snapshots.prefix(limit))))
        }
        api.get("/metrics") { _, _ in
            let active = try await dependencies.repositories.runs.count(matching: RunQuery(status: .active))
            let pending = try await dependencies.repositories.approvals.count(status: .pending)
            let alerts = try await dependencies.repositories.alerts.counts()
            let text = metrics.render(activeRuns: active, pendingApprovals: pending,
                                      uptimeSeconds: Date().timeIntervalSince(dependencies.startedAt), alertDeliveries: alerts)
            return JSONResponse.text(text, contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
