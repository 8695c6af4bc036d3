import Foundation
import Testing
@testable import GraceServer

/// Renders the dashboard in real headless Chromium and checks that the live data reached the page.
/// Runs where Chromium is installed (`apt-get install chromium`); skipped elsewhere.
@Suite("Dashboard in a browser")
struct BrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test("the page polls the API and shows runs, steps and approvals", .enabled(if: chromium != nil), .timeLimit(.minutes(2)))
    func renderedDashboard() async throws {
        let chromium = try #require(Self.chromium)
        try await TestServer.with { server in
            let runID = try await server.createRun(subsystem: "browser-check")
            _ = try await server.send("POST", "/api/agent/runs/\(runID)/steps",
                                      body: #"{"step_type": "plan_creation", "description": "draft the browser plan", "status": "success", "duration_ms": 12}"#)
            _ = try await server.repositories.approvals.create(.init(requestedBy: "healer", reason: "needs a human", playbookID: "fix_circular_imports"))
            let profile = server.home.appendingPathComponent("chromium-profile").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: chromium)
            process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)",
                                 "--virtual-time-budget=5000", "--dump-dom", server.base + "/"]
            let dom = try await Self.output(of: process)
            #expect(dom.contains(runID), "the run list shows the run")
            #expect(dom.contains("draft the browser plan"), "the selected run's timeline shows its step")
            #expect(dom.contains("fix_circular_imports"), "the pending approval is listed")
            #expect(dom.contains("boot unknown"), "the boot pill shows the dashboard's boot status")
            #expect(dom.contains("Nothing unknown has been seen."), "the suggestions panel rendered from /api/patterns/suggestions")
        }
    }

    /// Runs `process` to its end and returns its standard output, waiting on a thread of its own:
    /// a wait on one of Swift's cooperative threads (two here) starves the tests running beside it.
    static func output(of process: Process) async throws -> String {
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                continuation.resume(returning: text)
            }
        }
    }
}
