import Synchronization

/// Values kept for keys asked for again, bounded by their total cost (their bytes, as the caller
/// counts them); the least recently used entries go first. A value costing more than a quarter
/// of the capacity is never kept, so one large value cannot empty the cache.
///
/// What a value is valid for is the caller's business: a caller that can tell a stale value
/// (by a version stored beside it) replaces it with `store`.
public final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var cost: Int
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var cost = 0
        var clock: UInt64 = 0
    }

    private let state = Mutex(State())
    /// Most total cost kept.
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
    }

    public func value(for key: Key) -> Value? {
        state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            state.clock += 1
            state.entries[key]?.lastUse = state.clock
            return entry.value
        }
    }

    /// Keeps `value` for `key` (replacing what was there), then drops the least recently used
    /// entries until the total cost fits. A value too large to keep removes the key's old one.
    public func store(_ value: Value, cost: Int, for key: Key) {
        state.withLock { state in
            if let old = state.entries.removeValue(forKey: key) { state.cost -= old.cost }
            guard cost <= capacity / 4 else { return }
            state.clock += 1
            state.entries[key] = Entry(value: value, cost: cost, lastUse: state.clock)
            state.cost += cost
            guard state.cost > capacity else { return }
            for (key, entry) in state.entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) where state.cost > capacity {
                state.entries[key] = nil
                state.cost -= entry.cost
            }
        }
    }

    /// Drops the entries whose key `shouldRemove` names.
    public func removeAll(where shouldRemove: (Key) -> Bool) {
        state.withLock { state in
            for (key, entry) in state.entries where shouldRemove(key) {
                state.entries[key] = nil
                state.cost -= entry.cost
            }
        }
    }

    /// The total cost of the values kept now.
    public var cost: Int { state.withLock { $0.cost } }
    /// How many values are kept now.
    public var count: Int { state.withLock { $0.entries.count } }
}
