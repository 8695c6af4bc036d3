import GraceCore
import Testing

@Suite struct BoundedCacheTests {
    @Test func keepsWithinItsCapacityDroppingTheLeastRecentlyUsedFirst() {
        let cache = BoundedCache<String, Int>(capacity: 100)
        cache.store(1, cost: 25, for: "a")
        cache.store(2, cost: 25, for: "b")
        cache.store(3, cost: 25, for: "c")
        #expect(cache.value(for: "a") == 1)  // "a" is now the most recently used
        cache.store(4, cost: 25, for: "d")
        #expect(cache.cost == 100 && cache.count == 4)
        cache.store(5, cost: 25, for: "e")  // over capacity: "b", the least recently used, goes
        #expect(cache.value(for: "b") == nil)
        #expect(cache.value(for: "a") == 1 && cache.value(for: "e") == 5)
        #expect(cache.cost == 100)
        // Replacing a key counts its new cost only.
        cache.store(6, cost: 10, for: "a")
        #expect(cache.value(for: "a") == 6 && cache.cost == 85)
    }

    @Test func aValueTooLargeIsNeverKeptAndRemovesTheKeysOldOne() {
        let cache = BoundedCache<String, Int>(capacity: 100)
        cache.store(1, cost: 10, for: "a")
        cache.store(2, cost: 26, for: "a")
        #expect(cache.value(for: "a") == nil && cache.cost == 0)
    }

    @Test func removesTheKeysItIsTold() {
        let cache = BoundedCache<Int, Int>(capacity: 1_000)
        for key in 0..<10 { cache.store(key, cost: 1, for: key) }
        cache.removeAll { $0.isMultiple(of: 2) }
        #expect(cache.count == 5 && cache.cost == 5)
        #expect(cache.value(for: 2) == nil && cache.value(for: 3) == 3)
    }
}
