import Foundation
import GraceStore
import Logging
import ServiceLifecycle
#if OTLP
import OTel
#endif

/// Export of this node's runs as OTLP traces, switched on by the standard OpenTelemetry variables
/// of the process environment (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`).
///
/// The OTLP exporter (swift-otel) is compiled in only with the package trait `OTLP`
/// (`swift build --traits OTLP`): with its HTTP stack it adds minutes to a clean build.
public enum TraceExport {
    /// Whether this executable was built with the OTLP exporter.
    public static var isBuiltIn: Bool {
        #if OTLP
        true
        #else
        false
        #endif
    }

    /// The endpoint variables, the signal-specific one first (it wins, as in swift-otel).
    static let endpointKeys = ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"]

    /// The endpoint variable that asks for trace export and its value, or nil when none is set.
    public static func requestedEndpoint(in environment: [String: String]) -> (key: String, value: String)? {
        for key in endpointKeys {
            if let value = environment[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return (key, value) }
        }
        return nil
    }

    /// `endpoint` fit for a log line or a terminal: a password in it is masked.
    static func displayed(_ endpoint: String) -> String {
        guard var components = URLComponents(string: endpoint), components.password != nil else { return endpoint }
        components.password = "***"
        return components.string ?? "(unparsable endpoint)"
    }

    /// The traces protocol the environment asks for, as swift-otel reads it.
    static func requestedProtocol(in environment: [String: String]) -> String {
        environment["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] ?? environment["OTEL_EXPORTER_OTLP_PROTOCOL"] ?? "http/protobuf"
    }

    /// One line for `grace settings`: whether runs are exported, and where to.
    public static func summary(environment: [String: String]) -> String {
        guard let endpoint = requestedEndpoint(in: environment) else {
            return "off (set OTEL_EXPORTER_OTLP_ENDPOINT to export runs as traces)"
        }
        guard isBuiltIn else { return "off: \(endpoint.key) is set, but this grace was built without OTLP export (swift build --traits OTLP)" }
        return "\(displayed(endpoint.value)) (\(requestedProtocol(in: environment)), from \(endpoint.key))"
    }

    /// The services that export this node's runs, to run beside the server: none when export is not
    /// asked for, cannot be built, or is not compiled in (then a warning says how to get it).
    ///
    /// Never touches the process-global `LoggingSystem` or `InstrumentationSystem`: Grace's own log
    /// handler stays in place, and the tracer is handed to the exporter directly.
    ///
    /// - Parameters:
    ///   - since: runs that ended at or after this instant are exported (about this process's start).
    ///   - version: reported as the `service.version` resource attribute.
    public static func services(environment: [String: String], nodeID: String, version: String, runs: any RunRepository,
                                since: Date, logger: Logger) -> [any Service] {
        guard let endpoint = requestedEndpoint(in: environment) else { return [] }
        #if OTLP
        // swift-otel stops the process (fatalError) when asked for gRPC without its gRPC trait.
        guard requestedProtocol(in: environment) != "grpc" else {
            logger.error("trace export off: grace exports OTLP over HTTP only; set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf or http/json",
                         metadata: ["subsystem": "telemetry", "endpoint": "\(displayed(endpoint.value))"])
            return []
        }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "grace"  // OTEL_SERVICE_NAME still wins: it is applied over this
        configuration.resourceAttributes = ["service.instance.id": nodeID, "host.name": nodeID, "service.version": version]
        configuration.diagnosticLogger = .custom(logger)
        configuration.diagnosticLogLevel = .warning  // its notes on each OTEL_* override are noise; OTEL_LOG_LEVEL still works
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.exporter = .otlp
        // Every run is a trace someone may look for: no sampling unless OTEL_TRACES_SAMPLER says so.
        configuration.traces.sampler = .alwaysOn
        // Runs are few; sending each poll's spans within a second shows them while they are news.
        configuration.traces.batchSpanProcessor.scheduleDelay = .seconds(1)
        // Bounds the flush at shutdown: with the collector down, `grace stop` waits at most about
        // this long for it instead of swift-otel's 30 s default.
        configuration.traces.batchSpanProcessor.exportTimeout = .seconds(2)
        configuration.traces.otlpExporter.timeout = .seconds(2)
        do {
            let backend = try OTel.makeTracingBackend(configuration: configuration)
            logger.info("exporting runs as OTLP traces", metadata: ["subsystem": "telemetry", "endpoint": "\(displayed(endpoint.value))",
                                                                   "protocol": "\(requestedProtocol(in: environment))"])
            return [backend.service,
                    RunTraceExporter(tracer: backend.factory, runs: runs, nodeID: nodeID, since: since, logger: logger)]
        } catch {
            logger.error("trace export off: the OTLP exporter cannot be set up", metadata: ["subsystem": "telemetry", "error": "\(error)"])
            return []
        }
        #else
        logger.warning("\(endpoint.key) is set, but this grace was built without OTLP export; build with `swift build --traits OTLP`",
                       metadata: ["subsystem": "telemetry"])
        return []
        #endif
    }
}
