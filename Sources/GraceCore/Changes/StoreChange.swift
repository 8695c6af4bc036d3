import Foundation

/// One change to a run, a step or an approval, as the store's change feed records it (a trigger
/// in the writing transaction, whoever writes: this node, another node, OTLP ingest).
///
/// The feed numbers changes in commit order on SQLite; PostgreSQL numbers them when the row is
/// written, so a number can become visible after a higher one (see ``ChangeCursor``).
public struct StoreChange: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case run, step, approval
    }

    /// The feed's number for this change, increasing.
    public var sequence: Int64
    public var kind: Kind
    /// The run id, step id or approval event id.
    public var entityID: String
    /// The run a run or step change belongs to (nil for approvals).
    public var runID: String?

    public init(sequence: Int64, kind: Kind, entityID: String, runID: String?) {
        self.sequence = sequence
        self.kind = kind
        self.entityID = entityID
        self.runID = runID
    }
}

/// A reader's place in the change feed, which hands changes on in sequence and waits a little at
/// a gap: on PostgreSQL a transaction that took number 7 may commit after the one that took 8, so
/// a reader that moved past 8 at once would never see 7. A gap that stays longer than `gapWait`
/// is a rolled-back transaction (its number is never used) and is passed over.
public struct ChangeCursor: Sendable, Equatable {
    /// The last change handed on.
    public private(set) var position: Int64
    public let gapWait: TimeInterval
    private var gapSeenAt: Date?

    public init(after position: Int64, gapWait: TimeInterval = 2) {
        self.position = position
        self.gapWait = gapWait
    }

    /// The changes to hand on now, in order, from `fetched` (the feed's rows after ``position``,
    /// in sequence order); the cursor moves past them.
    public mutating func advance(through fetched: [StoreChange], now: Date) -> [StoreChange] {
        var ready: [StoreChange] = []
        for change in fetched where change.sequence > position {
            if change.sequence != position + 1 {
                let seen = gapSeenAt ?? now
                gapSeenAt = seen
                guard now.timeIntervalSince(seen) >= gapWait else { break }
            }
            ready.append(change)
            position = change.sequence
            gapSeenAt = nil
        }
        return ready
    }
}
