import Foundation
import GraceCore
import Synchronization

/// One start of the service that must come up healthy: used by the safe-mode boot stage.
struct TargetTrialRun: Sendable {
    let process: TargetProcess
    let output: TargetOutput
    let probe: TargetHealthProbe
    let target: TargetSettings

    struct Outcome: Sendable {
        var healthy: Bool
        var exit: TargetExit?
        var detail: String
    }

    /// Starts the service, waits until it is healthy and has run `settleSeconds` without a
    /// recognised failure, then stops it. Fails when it exits, stays unhealthy past the start
    /// timeout, or prints a known failure signature meanwhile.
    func run(safeMode: Bool, runID: String, stopRequested: @escaping @Sendable () -> Bool = { false }) async -> Outcome {
        let pid = SharedValue<Int32?>(nil)
        return await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                do {
                    let exit = try await process.run(safeMode: safeMode, runID: runID, started: { started, _ in pid.value = started },
                                                     line: { line in _ = output.consume(line, pid: pid.value) })
                    return Outcome(healthy: false, exit: exit, detail: "the service \(exit) during its \(safeMode ? "safe-mode " : "")start")
                } catch is CancellationError {
                    return nil
                } catch {
                    return Outcome(healthy: false, exit: nil, detail: "the service could not be started: \(error)")
                }
            }
            group.addTask {
                let clock = ContinuousClock()
                let deadline = clock.now + .seconds(target.startTimeoutSeconds)
                var last = "not probed yet"
                let stopped = Outcome(healthy: false, exit: nil, detail: "Grace is stopping; the start was abandoned")
                while clock.now < deadline {
                    if Task.isCancelled { return nil }
                    if stopRequested() { return stopped }
                    let result = await probe.probe()
                    last = result.detail
                    if result.healthy {
                        let settled = clock.now + .seconds(max(target.settleSeconds, probe.url == nil ? 1 : 0))
                        while clock.now < settled {
                            if Task.isCancelled { return nil }
                            if stopRequested() { return stopped }
                            try? await Task.sleep(for: .milliseconds(100))
                        }
                        return Outcome(healthy: true, exit: nil, detail: result.detail)
                    }
                    try? await Task.sleep(for: .milliseconds(200))
                }
                return Outcome(healthy: false, exit: nil, detail: "not healthy within \(target.startTimeoutSeconds) s: \(last)")
            }
            var first: Outcome?
            for await outcome in group {
                guard let outcome else { continue }
                if first == nil {
                    first = outcome
                    group.cancelAll()
                }
            }
            var outcome = first ?? Outcome(healthy: false, exit: nil, detail: "the start was cancelled")
            let failures = output.matches
            if outcome.healthy && !failures.isEmpty {
                outcome.healthy = false
                outcome.detail = "the service reported a known failure (\(Set(failures.map(\.patternID)).sorted().joined(separator: ", ")))"
            }
            return outcome
        }
    }
}

/// A value shared between concurrent tasks of one operation.
final class SharedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        mutex = Mutex(value)
    }

    var value: Value {
        get { mutex.withLock { $0 } }
        set { mutex.withLock { $0 = newValue } }
    }
}
