/// Health band of a metric against its thresholds.
public enum MetricBand: String, Sendable, Codable, CaseIterable, Comparable {
    case good, warning, critical

    public static func < (lhs: MetricBand, rhs: MetricBand) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One metric observed over a window (a row of `metrics_snapshots`).
public struct MetricSnapshot: Sendable, Equatable, Codable {
    public var snapshotID: String
    public var metricID: String
    public var resourceScope: String
    public var resourceID: String
    public var windowStart: String
    public var windowEnd: String
    public var stats: JSONValue
    public var bands: JSONValue
    public var latestBand: MetricBand
    public var derivedActions: JSONValue
    public var createdAt: String
    /// The Grace node that recorded it (`GRACE_NODE_ID`); nil for rows from before nodes were stored.
    public var nodeID: String?

    public init(snapshotID: String = Identifier.make(prefix: "ms"), metricID: String, resourceScope: String = "grace",
                resourceID: String = "local", windowStart: String, windowEnd: String, stats: JSONValue, bands: JSONValue,
                latestBand: MetricBand, derivedActions: JSONValue = .array([]), createdAt: String = Timestamp.now(), nodeID: String? = nil) {
        self.snapshotID = snapshotID
        self.metricID = metricID
        self.resourceScope = resourceScope
        self.resourceID = resourceID
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.stats = stats
        self.bands = bands
        self.latestBand = latestBand
        self.derivedActions = derivedActions
        self.createdAt = createdAt
        self.nodeID = nodeID
    }

    enum CodingKeys: String, CodingKey {
        case snapshotID = "snapshot_id", metricID = "metric_id", resourceScope = "resource_scope", resourceID = "resource_id"
        case windowStart = "window_start", windowEnd = "window_end", stats = "stats_json", bands = "bands_json"
        case latestBand = "latest_band", derivedActions = "derived_actions_json", createdAt = "created_at"
        case nodeID = "node_id"
    }
}
