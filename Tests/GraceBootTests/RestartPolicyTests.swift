import GraceCore
import Testing
@testable import GraceBoot

@Suite struct RestartPolicyTests {
    let target = TargetSettings(command: "true", workingDirectory: "/tmp", maxRestarts: 3, restartWindowSeconds: 60,
                                backoffMilliseconds: 100, backoffMaxMilliseconds: 250)

    @Test func crashesBackOffExponentiallyUpToTheMaximum() {
        var policy = RestartPolicy(target: target)
        let start = ContinuousClock.now
        #expect(policy.decide(afterExitAt: start, forFix: false) == .backOff(.milliseconds(100)))
        #expect(policy.decide(afterExitAt: start + .seconds(1), forFix: false) == .backOff(.milliseconds(200)))
        #expect(policy.decide(afterExitAt: start + .seconds(2), forFix: false) == .backOff(.milliseconds(250)))
    }

    @Test func restartsForFixesComeAtOnceButCountTowardTheCrashLoop() {
        var policy = RestartPolicy(target: target)
        let start = ContinuousClock.now
        #expect(policy.decide(afterExitAt: start, forFix: true) == .restartNow)
        #expect(policy.decide(afterExitAt: start + .seconds(1), forFix: true) == .restartNow)
        #expect(policy.decide(afterExitAt: start + .seconds(2), forFix: false) == .backOff(.milliseconds(250)))
        guard case .crashLoop(let detail, let exits, let forFixes) = policy.decide(afterExitAt: start + .seconds(3), forFix: false) else {
            Issue.record("a fourth exit within the window is a crash loop")
            return
        }
        #expect(exits == 4 && forFixes == 2)
        #expect(detail.contains("GRACE_TARGET_MAX_RESTARTS") && detail.contains("2 of them restarts for fixes"))
    }

    @Test func exitsOutsideTheWindowAreForgotten() {
        var policy = RestartPolicy(target: target)
        let start = ContinuousClock.now
        for second in 0..<3 { _ = policy.decide(afterExitAt: start + .seconds(second), forFix: false) }
        #expect(policy.decide(afterExitAt: start + .seconds(120), forFix: false) == .backOff(.milliseconds(100)))
    }
}
