import Foundation
import Testing

extension EndToEnd {
    /// The real client: the OpenTelemetry Python SDK (PyPI's opentelemetry-sdk and
    /// opentelemetry-exporter-otlp-proto-http, in a venv this test makes) runs
    /// `examples/otel-agent/agent.py`, which sends nested agent spans to a running `grace up` over
    /// OTLP/HTTP with nothing but `OTEL_EXPORTER_OTLP_ENDPOINT` (and the token header); the run's
    /// timeline is then read over the API.
    @Suite struct OTelSDKTests {
        static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        static let example = packageRoot.appendingPathComponent("examples/otel-agent")

        /// The venv: `GRACE_OTEL_VENV`, else `.build/otel-sdk-venv` (kept between runs; made when it lacks the SDK).
        static func python() throws -> String {
            let venv = ProcessInfo.processInfo.environment["GRACE_OTEL_VENV"]
                ?? packageRoot.appendingPathComponent(".build/otel-sdk-venv").path
            let python = venv + "/bin/python"
            let requirements = example.appendingPathComponent("requirements.txt").path
            let check = ["-c", "import opentelemetry.sdk, opentelemetry.exporter.otlp.proto.http.trace_exporter"]
            if FileManager.default.isExecutableFile(atPath: python), try Self.run(python, check).status == 0 { return python }
            let made = try Self.run("/usr/bin/env", ["python3", "-m", "venv", venv])
            guard made.status == 0 else { throw Failure("python3 -m venv \(venv) failed (apt-get install python3-venv): \(made.output)") }
            let installed = try Self.run(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements])
            guard installed.status == 0 else {
                throw Failure("pip install -r \(requirements) failed; this test needs PyPI: \(installed.output)")
            }
            return python
        }

        struct Failure: Error, CustomStringConvertible {
            var description: String
            init(_ description: String) { self.description = description }
        }

        static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
            try GraceBinary.runTool(executable, arguments, environment: environment)
        }

        /// Runs the example agent against Grace; returns its trace id and exit status.
        static func agent(_ python: String, port: Int, token: String, _ arguments: [String] = []) throws -> (traceID: String, status: Int32) {
            let result = try run(python, [example.appendingPathComponent("agent.py").path] + arguments, environment: [
                "PATH": "/usr/bin:/bin",
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(port)",
                "OTEL_EXPORTER_OTLP_HEADERS": "Authorization=Bearer%20\(token)",
            ])
            guard let line = result.output.split(separator: "\n").last(where: { $0.hasPrefix("trace_id=") }) else {
                throw Failure("the agent printed no trace id (exit \(result.status)): \(result.output)")
            }
            #expect(!result.output.contains("Failed to export"), "\(result.output)")
            return (String(line.dropFirst("trace_id=".count)), result.status)
        }

        static func timeline(_ client: LoopbackClient, traceID: String) async throws -> (run: [String: Any], steps: [[String: Any]]) {
            let page = try await client.send("GET", "/api/agent/runs?trace_id=\(traceID)")
            let runs = try page.object()["runs"] as? [[String: Any]] ?? []
            let run = try #require(runs.first, "no run for trace \(traceID): \(page.text)")
            let runID = try #require(run["run_id"] as? String)
            let timeline = try await client.send("GET", "/api/agent/runs/\(runID)/timeline")
            return (run, try timeline.object()["steps"] as? [[String: Any]] ?? [])
        }

        @Test func thePythonSDKsNestedAgentSpansBecomeTheRunsTimeline() async throws {
            let python = try Self.python()
            let grace = try GraceBinary()
            defer { grace.remove() }
            let token = "otel-sdk-test-token"
            let server = try RunningGrace(grace, extraEnvironment: ["GRACE_API_TOKEN": token])
            defer { _ = server.stop() }
            let client = LoopbackClient(port: server.port, token: token)

            let good = try Self.agent(python, port: server.port, token: token)
            #expect(good.status == 0)
            let (run, steps) = try await Self.timeline(client, traceID: good.traceID)
            #expect(run["run_id"] as? String == "trace_\(good.traceID)" && run["trace_id"] as? String == good.traceID)
            #expect(run["status"] as? String == "success" && run["subsystem"] as? String == "travel-agent" && run["kind"] as? String == "agent")
            #expect(steps.map { $0["description"] as? String }
                        == ["invoke_agent travel_planner", "chat gpt-4o-mini", "execute_tool get_weather", "retrieve guides"])
            #expect(steps.map { $0["step_type"] as? String } == ["agent", "llm", "tool", "retrieval"])
            #expect(steps.allSatisfy { $0["status"] as? String == "success" && $0["subsystem"] as? String == "travel-agent" })
            let spans = steps.map { $0["span_id"] as? String }
            #expect(steps.map { $0["parent_span_id"] as? String } == [nil, spans[0], spans[1], spans[0]], "agent > chat > tool; agent > retrieval")
            // Each child lies within its parent's interval; the run spans its root's.
            func interval(_ step: [String: Any]) -> (String, String) { (step["started_at"] as? String ?? "", step["ended_at"] as? String ?? "") }
            #expect(interval(steps[0]) == (run["started_at"] as? String ?? "", run["ended_at"] as? String ?? ""))
            for (child, parent) in [(1, 0), (2, 1), (3, 0)] {
                #expect(interval(steps[child]).0 >= interval(steps[parent]).0 && interval(steps[child]).1 <= interval(steps[parent]).1)
            }
            let chat = try #require(steps[1]["details"] as? [String: Any])
            #expect(chat["model"] as? String == "gpt-4o-mini" && chat["input_tokens"] as? Int == 52 && chat["output_tokens"] as? Int == 17)
            #expect((chat["output"] as? String)?.hasPrefix("Pack sunglasses") == true)
            let tool = try #require(steps[2]["details"] as? [String: Any])
            #expect(tool["tool_name"] as? String == "get_weather" && (tool["output"] as? String)?.contains("sunny") == true)
            #expect((steps[2]["duration_ms"] as? Double ?? 0) >= 20, "the tool slept 20 ms")

            // A tool that raises: its span, the LLM call around it and the agent end in error, and so does the run.
            let bad = try Self.agent(python, port: server.port, token: token, ["--fail-tool", "--city", "Oslo"])
            #expect(bad.status == 1 && bad.traceID != good.traceID)
            let (failedRun, failedSteps) = try await Self.timeline(client, traceID: bad.traceID)
            #expect(failedRun["status"] as? String == "failed")
            #expect(failedSteps.map { $0["status"] as? String } == ["failed", "failed", "failed"])
            let raised = try #require(failedSteps[2]["details"] as? [String: Any])
            #expect((raised["status_message"] as? String)?.contains("weather service unreachable for Oslo") == true)
            #expect((raised["events"] as? [[String: Any]])?.first?["name"] as? String == "exception")
        }
    }
}
