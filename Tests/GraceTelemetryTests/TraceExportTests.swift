import Foundation
import GraceCore
import Logging
import Testing
@testable import GraceTelemetry

@Suite struct TraceExportTests {
    /// Quiet: the warnings these tests provoke on purpose would only clutter the test output.
    static let logger = Logger(label: "grace.telemetry.test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func exportIsAskedForByEitherEndpointVariableTheTracesOneFirst() {
        #expect(TraceExport.requestedEndpoint(in: [:]) == nil)
        #expect(TraceExport.requestedEndpoint(in: ["OTEL_EXPORTER_OTLP_ENDPOINT": "  "]) == nil)
        #expect(TraceExport.requestedEndpoint(in: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318"])?.value == "http://a:4318")
        let both = ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://b:4318/v1/traces"]
        #expect(TraceExport.requestedEndpoint(in: both)?.key == "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    }

    @Test func theSummaryMasksPasswordsAndSaysWhatIsMissing() {
        #expect(TraceExport.summary(environment: [:]).hasPrefix("off"))
        let summary = TraceExport.summary(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "https://user:hunter22@collector:4318",
                                                         "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"])
        #expect(!summary.contains("hunter22"))
        if TraceExport.isBuiltIn {
            #expect(summary == "https://user:***@collector:4318 (http/json, from OTEL_EXPORTER_OTLP_ENDPOINT)")
        } else {
            #expect(summary.contains("swift build --traits OTLP"))
        }
    }

    @Test func noEndpointMeansNoServices() throws {
        let scratch = try ScratchStore(nodeID: "node-a")
        #expect(TraceExport.services(environment: [:], nodeID: "node-a", version: "test", runs: scratch.runs, since: Date(),
                                     logger: Self.logger).isEmpty)
    }

    @Test func anEndpointGivesTheBackendAndTheExporterWhenBuiltIn() throws {
        let scratch = try ScratchStore(nodeID: "node-a")
        let services = TraceExport.services(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"], nodeID: "node-a",
                                            version: "test", runs: scratch.runs, since: Date(), logger: Self.logger)
        // Without the OTLP trait Grace carries on without export (and logs how to build it in).
        #expect(services.count == (TraceExport.isBuiltIn ? 2 : 0))
    }

    @Test func gRPCIsRefusedRatherThanFatal() throws {
        let scratch = try ScratchStore(nodeID: "node-a")
        let services = TraceExport.services(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4317",
                                                          "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"],
                                            nodeID: "node-a", version: "test", runs: scratch.runs, since: Date(), logger: Self.logger)
        #expect(services.isEmpty)
    }
}
