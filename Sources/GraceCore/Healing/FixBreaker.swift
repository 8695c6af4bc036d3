import Foundation

/// What a recognised failure is, for counting and de-duplication: the pattern and the target the
/// fix is aimed at (Grace's own home or the supervised service), never text captured from a log
/// line (a codec, a variable or a column that may differ every time the failure is printed).
public struct FailureKey: Hashable, Sendable, CustomStringConvertible {
    public var patternID: String
    /// `grace` (Grace's own home) or `target` (the supervised service): ``HealingEnvironment``'s scope.
    public var target: String

    public init(patternID: String, target: String) {
        self.patternID = patternID
        self.target = target
    }

    public var description: String { "\(patternID)@\(target)" }
}

/// The circuit breaker on unattended fixes (DESIGN.md section 4, "Fixes are bounded"): per failure
/// pattern and playbook, at most ``limit`` fixes run without a human within ``windowSeconds``; once
/// that many ran, the breaker is open and the next match waits for an approval instead.
///
/// It keeps no state of its own: the caller passes the start times of the unattended fixes it
/// finds in the store (`playbook_runs`), so the count survives a restart of Grace.
public struct FixBreaker: Sendable, Equatable {
    /// Unattended fixes allowed per window (`GRACE_MAX_UNATTENDED_FIXES_PER_HOUR`); 0 sends every fix to approval.
    public var limit: Int
    public var windowSeconds: Int

    public static let defaultLimit = 3
    public static let defaultWindowSeconds = 3600

    public init(limit: Int = FixBreaker.defaultLimit, windowSeconds: Int = FixBreaker.defaultWindowSeconds) {
        self.limit = max(0, limit)
        self.windowSeconds = max(1, windowSeconds)
    }

    public enum State: Sendable, Equatable {
        /// Fixes may run unattended: `used` of the limit ran within the window.
        case closed(used: Int)
        /// The limit is reached; `reopensAt` is when the oldest counted fix leaves the window (nil with a limit of 0).
        case open(used: Int, reopensAt: Date?)

        public var isOpen: Bool {
            if case .open = self { return true }
            return false
        }

        public var used: Int {
            switch self {
            case .closed(let used), .open(let used, _): used
            }
        }
    }

    /// The earliest start time that still counts at `now`.
    public func windowStart(at now: Date) -> Date {
        now.addingTimeInterval(-Double(windowSeconds))
    }

    /// The breaker's state at `now`, given when the unattended fixes of one pattern and playbook
    /// started (in any order; times before the window are ignored, later ones count).
    public func state(unattendedFixesAt times: [Date], now: Date) -> State {
        let start = windowStart(at: now)
        let counted = times.filter { $0 > start }.sorted()
        guard counted.count >= limit else { return .closed(used: counted.count) }
        guard limit > 0 else { return .open(used: counted.count, reopensAt: nil) }
        // It closes again once only limit - 1 of the counted fixes are left in the window.
        let leaving = counted[counted.count - limit]
        return .open(used: counted.count, reopensAt: leaving.addingTimeInterval(Double(windowSeconds)))
    }

    /// Why a match is sent to approval while the breaker is open (for the audit log and the approval).
    public func explanation(_ state: State, patternID: String, playbookID: String) -> String {
        let window = windowSeconds == 3600 ? "the last hour" : "the last \(windowSeconds) s"
        var text = "circuit breaker open: \(state.used) unattended \(playbookID) fix\(state.used == 1 ? "" : "es") for \(patternID) in \(window)"
            + " (limit \(limit), GRACE_MAX_UNATTENDED_FIXES_PER_HOUR)"
        if case .open(_, let reopensAt?) = state { text += "; unattended fixes resume after \(Timestamp.string(from: reopensAt))" }
        return text
    }
}
