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
        let events = StoreMetrics(registry: metrics.registry)
        api.get("/metrics") { _, _ in
            let repositories = dependencies.repositories
            let active = try await repositories.runs.count(matching: RunQuery(status: .active))
            let pending = try await repositories.approvals.count(status: .pending)
            let alerts = try await repositories.alerts.counts()
            events.update(census: try await repositories.census.census(), stats: try await repositories.playbooks.stats(),
                          targetRestarts: dependencies.targetSupervisor?.status.restarts)
            let text = metrics.render(activeRuns: active, pendingApprovals: pending,
                                      uptimeSeconds: Date().timeIntervalSince(dependencies.startedAt), alertDeliveries: alerts)
            return JSONResponse.text(text, contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
