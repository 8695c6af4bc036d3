import Foundation
import GraceBoot
import GraceCore
import Synchronization
import Testing

/// The service's process, run for real through `/bin/sh` (and through the guard, where it matters,
/// in the end-to-end tests).
@Suite("Target process")
struct TargetProcessTests {
    private func target(_ command: String, folder: URL) -> TargetSettings {
        TargetSettings(command: command, workingDirectory: folder.path, envFile: folder.appendingPathComponent(".env").path,
                       stopTimeoutSeconds: 2)
    }

    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("grace-target-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("both streams arrive line by line, with the exit status")
    func streamsAndExitStatus() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = Mutex<[TargetLine]>([])
        let process = TargetProcess(target: target("echo one; echo two >&2; printf 'três ✓\\n'; exit 3", folder: folder), guardExecutable: nil)
        let exit = try await process.run(safeMode: false, runID: "run_test", started: { _, _ in }, line: { line in lines.withLock { $0.append(line) } })
        #expect(exit == TargetExit(code: 3, signal: nil))
        let seen = lines.withLock { $0 }
        #expect(seen.filter { $0.stream == .stdout }.map(\.text) == ["one", "três ✓"])
        #expect(seen.filter { $0.stream == .stderr }.map(\.text) == ["two"])
    }

    @Test("the env file wins over Grace's environment; safe mode and the run id are set")
    func environment() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "PATH_NOTE=from-env-file\nHOME=/from/env/file\n".write(to: folder.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        let lines = Mutex<[String]>([])
        let process = TargetProcess(target: target("echo \"$PATH_NOTE $HOME $GRACE_SAFE_MODE $GRACE_RUN_ID $(pwd)\"", folder: folder),
                                    guardExecutable: nil)
        _ = try await process.run(safeMode: true, runID: "run_abc", started: { _, _ in }, line: { line in lines.withLock { $0.append(line.text) } })
        let resolved = folder.resolvingSymlinksInPath().path
        #expect(lines.withLock { $0 }.first.map { $0.hasPrefix("from-env-file /from/env/file 1 run_abc ") && $0.hasSuffix(resolved) } == true,
                "\(lines.withLock { $0 })")
    }

    @Test("cancelling the run stops the process (SIGTERM), and the stop function does the same")
    func stopping() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = TargetProcess(target: target("exec sleep 60", folder: folder), guardExecutable: nil)
        let started = Mutex<Int32?>(nil)
        let task = Task {
            try await process.run(safeMode: false, runID: "run_cancel", started: { pid, _ in started.withLock { $0 = pid } }, line: { _ in })
        }
        while started.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(20)) }
        task.cancel()
        let exit = try? await task.value
        if let exit { #expect(exit.signal == SIGTERM || exit.code == 143) }
        let pid = try #require(started.withLock { $0 })
        #expect(kill(pid, 0) != 0, "the process is gone")

        let stopped = try await process.run(safeMode: false, runID: "run_stop", started: { _, stop in stop() }, line: { _ in })
        #expect(stopped.signal == SIGTERM)
    }

    @Test func aCommandThatCannotStartIsAnExitNotAHang() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let exit = try await TargetProcess(target: target("/no/such/program --flag", folder: folder), guardExecutable: nil)
            .run(safeMode: false, runID: "run_missing", started: { _, _ in }, line: { _ in })
        #expect(exit.code == 127)
    }
}
