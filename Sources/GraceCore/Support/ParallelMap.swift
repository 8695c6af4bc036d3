import Dispatch

/// CPU-bound work split into independent parts and run on every core at once.
public enum ParallelMap {
    /// `transform(index)` for each index in `0..<count`, called concurrently (on the calling
    /// thread and Dispatch's worker threads), and the results in index order.
    ///
    /// `transform` may read shared data (a buffer both sides hold, compiled matchers) but must
    /// not write to anything another index reads: that is the caller's promise, which the type
    /// system cannot check here, because the parts are usually slices of one unsafe buffer.
    public static func map<Result>(_ count: Int, _ transform: (Int) -> Result) -> [Result] {
        guard count > 1 else { return count == 1 ? [transform(0)] : [] }
        return withoutActuallyEscaping(transform) { transform in
            let slots = UnsafeMutableBufferPointer<Result?>.allocate(capacity: count)
            slots.initialize(repeating: nil)
            defer { slots.deinitialize(); slots.deallocate() }
            let shared = Unchecked(transform: transform, slots: slots)
            DispatchQueue.concurrentPerform(iterations: count) { index in
                shared.slots[index] = shared.transform(index)  // each index writes its own slot only
            }
            return slots.map { $0! }
        }
    }

    /// Carries the closure and the result slots into Dispatch's `@Sendable` closure; see ``map(_:_:)``
    /// for why this is safe.
    private struct Unchecked<Result>: @unchecked Sendable {
        let transform: (Int) -> Result
        let slots: UnsafeMutableBufferPointer<Result?>
    }
}
