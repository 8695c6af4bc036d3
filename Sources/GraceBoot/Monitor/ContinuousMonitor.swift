import Foundation
import GraceCore
import GraceStore
import Logging
import ServiceLifecycle

/// Measures Grace's health metrics (the ``MetricCatalog``) and records them as metric snapshots.
public struct ContinuousMonitor: Sendable {
    let layout: GraceHomeLayout
    let repositories: GraceRepositories
    let logger: Logger
    /// Reads integrity and sizes; nil in tests that only need the metrics path.
    let store: (any GraceStoreBackend)?
    /// This node: on a shared store, the previous pass is this node's own, not another's.
    let nodeID: String?

    public init(layout: GraceHomeLayout, repositories: GraceRepositories, logger: Logger, store: (any GraceStoreBackend)? = nil,
                nodeID: String? = nil) {
        self.layout = layout
        self.repositories = repositories
        self.logger = logger
        self.store = store
        self.nodeID = nodeID
    }

    /// One pass: measure, band, store, and log anything not good. Returns the snapshots written.
    @discardableResult
    public func pass(now: Date = Date()) async throws -> [MetricSnapshot] {
        let own = try await repositories.metrics.latestPerMetric().filter { nodeID == nil || $0.nodeID == nil || $0.nodeID == nodeID }
        let previous = Dictionary(own.map { ($0.metricID, $0) }, uniquingKeysWith: { $1 })
        var values: [String: (Double, [String: JSONValue])] = [:]

        if let store {
            let health = try await store.health()
            values["database_integrity_failures"] = (Double(health.filter { $0.integrity != "ok" }.count),
                                                     ["databases": .array(health.map { .string("\($0.path): \($0.integrity)") })])
            values["database_bytes"] = (Double(store.fileSizes().values.reduce(0, +)), [:])
        }
        if let free = DiskSpace.freeBytes(at: layout.root) {
            values["disk_free_bytes"] = (Double(free), ["path": .string(layout.root)])
        }
        let logBytes = Double(logFolderBytes())
        var growth = 0.0
        if let last = previous["log_growth_bytes_per_minute"], case .number(let lastBytes)? = last.stats["log_bytes"],
           let lastTime = Timestamp.date(from: last.windowEnd), now.timeIntervalSince(lastTime) > 1 {
            growth = max(0, logBytes - lastBytes) / (now.timeIntervalSince(lastTime) / 60)
        }
        values["log_growth_bytes_per_minute"] = (growth, ["log_bytes": .number(logBytes)])
        values["pending_approvals"] = (Double(try await repositories.approvals.count(status: .pending)), [:])
        let hourAgo = Timestamp.string(from: now.addingTimeInterval(-3600))
        let failed = try await repositories.runs.count(matching: RunQuery(status: .failed, startedAfter: hourAgo))
        values["failed_runs_last_hour"] = (Double(failed), [:])

        let windowEnd = Timestamp.string(from: now)
        let snapshots: [MetricSnapshot] = MetricCatalog.builtIn.compactMap { definition in
            guard let (value, extra) = values[definition.id] else { return nil }
            var stats = extra
            stats["value"] = .number(value)
            let band = definition.band(for: value)
            return MetricSnapshot(metricID: definition.id, resourceID: layout.root, windowStart: previous[definition.id]?.windowEnd ?? windowEnd,
                                  windowEnd: windowEnd, stats: .object(stats), bands: definition.bandsJSON, latestBand: band,
                                  derivedActions: band == .good ? .array([]) : .array([.string("investigate \(definition.id)")]))
        }
        try await repositories.metrics.record(snapshots)
        for snapshot in snapshots where snapshot.latestBand != .good {
            logger.warning("metric \(snapshot.metricID) is \(snapshot.latestBand.rawValue)", metadata: [
                "subsystem": "monitor", "event_type": "metric_band", "metric_id": "\(snapshot.metricID)",
                "band": "\(snapshot.latestBand.rawValue)", "stats": "\(snapshot.stats.jsonText)"])
        }
        return snapshots
    }

    private func logFolderBytes() -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: layout.logsDirectory)) ?? []
        return names.reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: layout.logsDirectory + "/" + name)[.size] as? Int) ?? 0)
        }
    }
}

/// Runs the monitor on a schedule until shutdown.
public struct MonitorService: Service {
    let monitor: ContinuousMonitor
    let interval: Duration

    public init(monitor: ContinuousMonitor, interval: Duration) {
        self.monitor = monitor
        self.interval = interval
    }

    public func run() async throws {
        await PeriodicPasses(interval: interval, startImmediately: false).run({ try await monitor.pass() }) { error in
            monitor.logger.error("monitor pass failed", metadata: ["subsystem": "monitor", "error": "\(error)"])
        }
    }
}
