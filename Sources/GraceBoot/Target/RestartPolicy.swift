import GraceCore

/// When the supervised service is started again after it ended: at once after a restart for a
/// fix, after an exponential backoff after a crash, and never again once more than
/// `GRACE_TARGET_MAX_RESTARTS` exits (restarts for fixes included: a fix that does not hold must
/// not restart the service for ever) fall within `GRACE_TARGET_RESTART_WINDOW`.
struct RestartPolicy {
    enum Decision: Equatable {
        case restartNow
        case backOff(Duration)
        /// Give up: the detail says why, and how many of the exits were restarts for fixes.
        case crashLoop(detail: String, exits: Int, forFixes: Int)
    }

    let target: TargetSettings
    private var exits: [(at: ContinuousClock.Instant, forFix: Bool)] = []

    init(target: TargetSettings) {
        self.target = target
    }

    /// Records an exit at `now` and decides what comes next.
    mutating func decide(afterExitAt now: ContinuousClock.Instant, forFix: Bool) -> Decision {
        exits = exits.filter { now - $0.at < .seconds(target.restartWindowSeconds) } + [(now, forFix)]
        if exits.count > target.maxRestarts {
            let forFixes = exits.filter(\.forFix).count
            let detail = "crash loop: \(exits.count) exits within \(target.restartWindowSeconds) s, \(forFixes) of them restarts for fixes "
                + "(limit \(target.maxRestarts), GRACE_TARGET_MAX_RESTARTS); not restarting"
            return .crashLoop(detail: detail, exits: exits.count, forFixes: forFixes)
        }
        return forFix ? .restartNow : .backOff(target.backoff(beforeRestart: exits.count))
    }
}
