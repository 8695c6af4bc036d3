import GraceCore
import GraceStore
import Prometheus

/// Grace's Prometheus collectors: request counts and durations by route, method and status,
/// plus gauges refreshed from the store at each scrape (``StoreMetrics`` adds the store's events to the
/// same registry).
///
/// Each server owns its registry (rather than bootstrapping swift-metrics globally), so several
/// servers in one process, as in tests, keep separate counts.
final class HTTPMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    // Descriptors are rebuilt on use: the type is not Sendable, so it cannot be a stored static.
    private static var requests: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "grace", subsystem: "http", metricName: "requests", unitName: "total",
        helpText: "HTTP requests served, by route template, method and status code.") }
    private static var durations: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "grace", subsystem: "http", metricName: "request_duration", unitName: "seconds",
        helpText: "Time to produce the response, by route template, method and status code.") }
    private static var activeRuns: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "grace", metricName: "active_runs", unitName: "",
        helpText: "Agent and boot runs not yet completed.") }
    private static var pendingApprovals: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "grace", metricName: "pending_approvals", unitName: "",
        helpText: "Playbook approvals waiting for a decision.") }
    // A gauge of stored records (pending ones become delivered or failed), so no `_total` suffix:
    // that suffix is a counter's (promtool).
    private static var alertDeliveries: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "grace", metricName: "alert_deliveries", unitName: "",
        helpText: "Alert deliveries recorded in the store, by webhook (its id, never its URL) and status.") }
    private static var uptime: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "grace", metricName: "uptime", unitName: "seconds", helpText: "Seconds since the server started.") }

    /// Prometheus' default buckets shifted down: most of Grace's answers take well under a millisecond.
    private static let buckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
    ]

    /// Counts one answered request.
    func record(route: String, method: String, status: Int, duration: Duration) {
        let labels = [("route", route), ("method", method), ("status", String(status))]
        registry.makeCounter(descriptor: Self.requests, labels: labels).increment()
        registry.makeDurationHistogram(descriptor: Self.durations, labels: labels, buckets: Self.buckets).record(duration)
    }

    /// The exposition text, after setting the gauges to the given values.
    /// `alertDeliveries` sets every status of each sink it names, 0 where it has none.
    func render(activeRuns: Int, pendingApprovals: Int, uptimeSeconds: Double, alertDeliveries: [AlertDeliveryCount] = []) -> String {
        for sink in Set(alertDeliveries.map(\.sink)) {
            for status in AlertDelivery.Status.allCases {
                let count = alertDeliveries.first { $0.sink == sink && $0.status == status }?.count ?? 0
                registry.makeGauge(descriptor: Self.alertDeliveries, labels: [("sink", sink), ("status", status.rawValue)]).set(to: Double(count))
            }
        }
        registry.makeGauge(descriptor: Self.activeRuns).set(to: Double(activeRuns))
        registry.makeGauge(descriptor: Self.pendingApprovals).set(to: Double(pendingApprovals))
        registry.makeGauge(descriptor: Self.uptime).set(to: uptimeSeconds)
        return registry.emitToString()
    }
}
