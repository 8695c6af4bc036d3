import Foundation
import GraceCore
import Testing

@Suite struct FixBreakerTests {
    let now = Date(timeIntervalSince1970: 1_750_000_000)

    private func minutesAgo(_ minutes: Double...) -> [Date] {
        minutes.map { now.addingTimeInterval(-$0 * 60) }
    }

    @Test func closedUntilTheLimitIsReached() {
        let breaker = FixBreaker(limit: 3)
        #expect(breaker.state(unattendedFixesAt: [], now: now) == .closed(used: 0))
        #expect(breaker.state(unattendedFixesAt: minutesAgo(10, 5), now: now) == .closed(used: 2))
    }

    @Test func opensAtTheLimitAndSaysWhenItClosesAgain() {
        let breaker = FixBreaker(limit: 3)
        let state = breaker.state(unattendedFixesAt: minutesAgo(1, 50, 20), now: now)
        // The oldest of the three (50 minutes ago) leaves the hour in 10 minutes.
        #expect(state == .open(used: 3, reopensAt: now.addingTimeInterval(10 * 60)))
        #expect(state.isOpen && state.used == 3)
    }

    @Test func withMoreThanTheLimitItReopensWhenEnoughHaveLeft() {
        // Five fixes in the hour (approved ones are not passed in, but a lower limit set later can leave more).
        let state = FixBreaker(limit: 2).state(unattendedFixesAt: minutesAgo(55, 40, 30, 20, 10), now: now)
        // Only one may be left for the breaker to close: the fourth oldest (20 minutes ago) must leave, in 40 minutes.
        #expect(state == .open(used: 5, reopensAt: now.addingTimeInterval(40 * 60)))
    }

    @Test func fixesOlderThanTheWindowDoNotCount() {
        let breaker = FixBreaker(limit: 3)
        #expect(breaker.state(unattendedFixesAt: minutesAgo(61, 90, 600, 30), now: now) == .closed(used: 1))
        #expect(breaker.state(unattendedFixesAt: minutesAgo(60), now: now) == .closed(used: 0), "exactly one window ago has left it")
    }

    @Test func aLimitOfZeroIsAlwaysOpen() {
        let state = FixBreaker(limit: 0).state(unattendedFixesAt: [], now: now)
        #expect(state == .open(used: 0, reopensAt: nil))
    }

    @Test func theWindowIsConfigurable() {
        let breaker = FixBreaker(limit: 1, windowSeconds: 60)
        #expect(breaker.state(unattendedFixesAt: minutesAgo(2), now: now) == .closed(used: 0))
        #expect(breaker.state(unattendedFixesAt: minutesAgo(0.5), now: now).isOpen)
        #expect(breaker.windowStart(at: now) == now.addingTimeInterval(-60))
    }

    @Test func theExplanationNamesTheCountTheLimitAndTheSetting() {
        let breaker = FixBreaker(limit: 3)
        let state = breaker.state(unattendedFixesAt: minutesAgo(1, 2, 3), now: now)
        let text = breaker.explanation(state, patternID: "unicode_logging_crash", playbookID: "fix_unicode_logging")
        #expect(text.hasPrefix("circuit breaker open: 3 unattended fix_unicode_logging fixes for unicode_logging_crash in the last hour (limit 3"))
        #expect(text.contains("GRACE_MAX_UNATTENDED_FIXES_PER_HOUR"))
        #expect(text.contains(Timestamp.string(from: now.addingTimeInterval(57 * 60))))
    }

    @Test func theFailureKeyIsThePatternAndTheTarget() {
        let key = FailureKey(patternID: "unicode_logging_crash", target: "target")
        #expect(key == FailureKey(patternID: "unicode_logging_crash", target: "target"))
        #expect(key != FailureKey(patternID: "unicode_logging_crash", target: "grace"))
        #expect(key.description == "unicode_logging_crash@target")
    }
}

@Suite struct GovernanceBreakerTests {
    let policy = GovernancePolicy(observeOnly: false, executeEnabled: true, maxUnattendedTier: .tier1, breaker: FixBreaker(limit: 3))

    @Test func anOpenBreakerTurnsAnUnattendedFixIntoAnApproval() {
        #expect(policy.decide(risk: .low, tier: .tier1, breaker: .closed(used: 2)) == .execute)
        #expect(policy.decide(risk: .low, tier: .tier1, breaker: .open(used: 3, reopensAt: nil)) == .awaitApproval)
    }

    @Test func anApprovedFixRunsWhateverTheBreakerSays() {
        #expect(policy.decide(risk: .low, tier: .tier1, approved: true, breaker: .open(used: 3, reopensAt: nil)) == .execute)
    }

    @Test func theBreakerNeverMakesAFixRunThatGovernanceWouldNotRun() {
        #expect(policy.decide(risk: .high, tier: .tier1, breaker: .closed(used: 0)) == .awaitApproval)
        let observing = GovernancePolicy(observeOnly: true, executeEnabled: true, maxUnattendedTier: .tier1)
        #expect(observing.decide(risk: .low, tier: .tier1, breaker: .open(used: 3, reopensAt: nil)) == .observe)
    }
}
