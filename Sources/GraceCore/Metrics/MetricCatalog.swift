/// A metric the continuous monitor observes, with the thresholds that decide its band.
public struct MetricDefinition: Sendable, Equatable, Codable {
    public enum Direction: String, Sendable, Codable {
        /// Larger values are worse (sizes, growth, counts).
        case higherIsWorse = "higher_is_worse"
        /// Smaller values are worse (free space).
        case lowerIsWorse = "lower_is_worse"
    }

    public var id: String
    public var unit: String
    public var direction: Direction
    public var warning: Double
    public var critical: Double

    public init(id: String, unit: String, direction: Direction, warning: Double, critical: Double) {
        self.id = id
        self.unit = unit
        self.direction = direction
        self.warning = warning
        self.critical = critical
    }

    /// The band `value` falls in.
    public func band(for value: Double) -> MetricBand {
        switch direction {
        case .higherIsWorse: value >= critical ? .critical : value >= warning ? .warning : .good
        case .lowerIsWorse: value <= critical ? .critical : value <= warning ? .warning : .good
        }
    }

    /// The thresholds as stored in `bands_json`.
    public var bandsJSON: JSONValue {
        ["direction": .string(direction.rawValue), "warning": .number(warning), "critical": .number(critical), "unit": .string(unit)]
    }
}

/// The metrics Grace watches about itself.
public enum MetricCatalog {
    public static let builtIn: [MetricDefinition] = [
        MetricDefinition(id: "database_integrity_failures", unit: "count", direction: .higherIsWorse, warning: 1, critical: 1),
        MetricDefinition(id: "disk_free_bytes", unit: "bytes", direction: .lowerIsWorse, warning: Double(1 << 30), critical: Double(100 << 20)),
        MetricDefinition(id: "log_growth_bytes_per_minute", unit: "bytes/min", direction: .higherIsWorse, warning: Double(50 << 20), critical: Double(200 << 20)),
        MetricDefinition(id: "database_bytes", unit: "bytes", direction: .higherIsWorse, warning: Double(2 << 30), critical: Double(8 << 30)),
        MetricDefinition(id: "pending_approvals", unit: "count", direction: .higherIsWorse, warning: 5, critical: 25),
        MetricDefinition(id: "failed_runs_last_hour", unit: "count", direction: .higherIsWorse, warning: 3, critical: 10),
    ]

    public static func definition(_ id: String) -> MetricDefinition? { builtIn.first { $0.id == id } }
}
