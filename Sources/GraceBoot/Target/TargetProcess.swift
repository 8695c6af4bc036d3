import Foundation
import GraceCore
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// One line the supervised service wrote.
public struct TargetLine: Sendable {
    public enum Stream: String, Sendable { case stdout, stderr }
    public var stream: Stream
    public var text: String
}

/// How a run of the service ended.
public struct TargetExit: Sendable, Equatable, CustomStringConvertible {
    public var code: Int32?
    public var signal: Int32?

    public init(code: Int32?, signal: Int32?) {
        self.code = code
        self.signal = signal
    }

    public var succeeded: Bool { code == 0 }
    public var description: String {
        if let code { return "exited with status \(code)" }
        return "killed by signal \(signal ?? 0)"
    }
}

/// Starts the service's command with its environment, streams its output line by line, and
/// stops it on cancellation (SIGTERM, then SIGKILL after the stop timeout).
///
/// Built on swift-subprocess. With a guard executable the command runs under ``ChildGuard``,
/// which puts it in its own process group and tears that group down when Grace goes away,
/// however Grace ends.
public struct TargetProcess: Sendable {
    public var target: TargetSettings
    public var guardExecutable: String?

    public init(target: TargetSettings, guardExecutable: String?) {
        self.target = target
        self.guardExecutable = guardExecutable
    }

    /// The service's environment: Grace's, then its env file (which fixes write to, so it wins),
    /// then the safe-mode flag and the run id.
    public func environment(safeMode: Bool, runID: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in EnvFile.values(in: target.envFile) { environment[key] = value }
        environment[target.safeModeVariable] = safeMode ? "1" : "0"
        environment["GRACE_RUN_ID"] = runID
        return environment
    }

    /// Runs the service until it exits or the calling task is cancelled. `started` gets the pid
    /// and a function that asks the service to stop (for a restart); `line` gets each output line.
    public func run(safeMode: Bool, runID: String,
                    started: @Sendable (_ pid: Int32, _ stop: @escaping @Sendable () -> Void) -> Void,
                    line: @escaping @Sendable (TargetLine) async -> Void) async throws -> TargetExit {
        var options = PlatformOptions()
        options.processGroupID = 0
        let grace = Duration.seconds(target.stopTimeoutSeconds)
        // The guard escalates to SIGKILL after the stop timeout itself; the margin lets it do so first.
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: guardExecutable == nil ? grace : grace + .seconds(2))]
        let shell = ["/bin/sh", "-c", target.command]
        let executable = guardExecutable ?? shell[0]
        let arguments = guardExecutable == nil ? Array(shell.dropFirst())
            : [ChildGuard.commandName, "--stop-timeout", String(target.stopTimeoutSeconds), "--"] + shell
        var variables: [Environment.Key: String] = [:]
        for (key, value) in environment(safeMode: safeMode, runID: runID) {
            if let name = Environment.Key(rawValue: key) { variables[name] = value }
        }
        let configuration = Configuration(executable: .path(FilePath(executable)), arguments: Arguments(arguments),
                                          environment: .custom(variables), workingDirectory: FilePath(target.workingDirectory),
                                          platformOptions: options)
        // Standard input stays an open pipe for the service's whole life: the guard's lifeline.
        let result = try await Subprocess.run(configuration, input: .inputWriter, output: .sequence, error: .sequence) { execution in
            let pid = execution.processIdentifier.value
            started(pid) { _ = kill(pid, SIGTERM) }
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await text in execution.standardOutput.strings() { await line(TargetLine(stream: .stdout, text: text)) }
                    } catch {}
                }
                group.addTask {
                    do {
                        for try await text in execution.standardError.strings() { await line(TargetLine(stream: .stderr, text: text)) }
                    } catch {}
                }
            }
        }
        switch result.terminationStatus {
        case .exited(let code): return TargetExit(code: code, signal: nil)
        case .signaled(let signal): return TargetExit(code: nil, signal: signal)
        }
    }
}
