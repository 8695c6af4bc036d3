import Foundation
import GraceCore
import Testing
@testable import GraceServer

/// The hand-written timeline JSON says exactly what `JSONEncoder.graceCompact` says.
@Suite("Timeline JSON writer")
struct TimelineJSONTests {
    static let awkwardTexts = ["", "plain", "quote \" backslash \\ slash /", "tab\tnew\nline\r", "\u{0}\u{1}\u{1F}\u{7F}",
                               "café — 日本語 🚀", "\u{2028}\u{2029}", "{\"json\":\"inside\"}"]

    static func timeline() -> RunRoutes.Timeline {
        let run = AgentRun(runID: "run_0123456789ab", trigger: .manual, subsystem: "sub \"x\"",
                           body: ["goal": "ship", "metadata": ["z": 1, "a": [true, .null, 2.5]]])
        var steps: [StepPayload] = []
        for (index, text) in awkwardTexts.enumerated() {
            let details: JSONValue? = index % 3 == 0 ? nil : [
                "text": .string(text), "b": [1, 2.25, -3, 1e-7, 123456789012345, 1e20], "nested": ["k": .bool(index % 2 == 0), "é": .null],
                "Z": "upper", "_": "under",
            ]
            let step = TimelineStep(stepID: "step_\(index)", runID: run.runID, timestamp: "2025-11-09T18:30:0\(index).123456Z",
                                    stepType: text.isEmpty ? "plan_creation" : text, subsystem: text, description: text,
                                    status: index % 2 == 0 ? .success : .running, durationMS: index == 1 ? nil : Double(index) * 1.5,
                                    details: details, playbookID: index == 2 ? "pb_\(index)" : nil, verificationID: index == 4 ? "ver_x" : nil)
            steps.append(StepPayload(step: step, logEntries: index == 5 ? nil : index * 7,
                                     logsURL: index == 6 ? nil : "/api/agent/runs/\(run.runID)/logs?playbook_id=pb_\(index)"))
        }
        return RunRoutes.Timeline(run: RunPayload(run: run), steps: steps, logEntries: 42, logsURL: "/api/agent/runs/\(run.runID)/logs")
    }

    @Test("same JSON value as JSONEncoder, for awkward strings, numbers, nulls and nested details")
    func sameValueAsTheEncoder() throws {
        let timeline = Self.timeline()
        let written = Data(try timeline.json())
        let encoded = try JSONEncoder.graceCompact.encode(timeline)
        let fromWriter = try JSONDecoder().decode(JSONValue.self, from: written)
        let fromEncoder = try JSONDecoder().decode(JSONValue.self, from: encoded)
        #expect(fromWriter == fromEncoder)
        // Valid JSON for any parser, not only Swift's.
        #expect(try JSONSerialization.jsonObject(with: written) is [String: Any])
    }

    @Test("keys come out in the encoder's sorted order")
    func sortedKeys() throws {
        let text = String(decoding: try Self.timeline().json(), as: UTF8.self)
        let encoded = String(decoding: try JSONEncoder.graceCompact.encode(Self.timeline()), as: UTF8.self)
        func keyOrder(_ json: String) -> [String] {
            json.matches(of: /"([a-z_]+)":/).map { String($0.output.1) }
        }
        #expect(keyOrder(text) == keyOrder(encoded))
    }
}
