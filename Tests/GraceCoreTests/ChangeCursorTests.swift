import Foundation
import GraceCore
import Testing

@Suite struct ChangeCursorTests {
    func changes(_ sequences: [Int64]) -> [StoreChange] {
        sequences.map { StoreChange(sequence: $0, kind: .step, entityID: "step_\($0)", runID: "run_1") }
    }

    @Test func changesInSequenceAreHandedOnAtOnce() {
        var cursor = ChangeCursor(after: 10)
        let now = Date()
        #expect(cursor.advance(through: changes([11, 12, 13]), now: now).map(\.sequence) == [11, 12, 13])
        #expect(cursor.position == 13)
        #expect(cursor.advance(through: changes([12, 13]), now: now).isEmpty, "nothing twice")
    }

    /// PostgreSQL: number 12 committed before 11; 11 shows up a moment later and both are handed on, in order.
    @Test func aGapIsWaitedForAndFilledInOrder() {
        var cursor = ChangeCursor(after: 10, gapWait: 2)
        let start = Date()
        #expect(cursor.advance(through: changes([12]), now: start).isEmpty)
        #expect(cursor.advance(through: changes([12, 13]), now: start.addingTimeInterval(1)).isEmpty)
        #expect(cursor.advance(through: changes([11, 12, 13]), now: start.addingTimeInterval(1.5)).map(\.sequence) == [11, 12, 13])
    }

    /// A rolled-back transaction's number never appears: after the wait the cursor goes past it.
    @Test func aGapThatStaysIsPassedOverAfterTheWait() {
        var cursor = ChangeCursor(after: 10, gapWait: 2)
        let start = Date()
        #expect(cursor.advance(through: changes([11, 13, 14]), now: start).map(\.sequence) == [11])
        #expect(cursor.advance(through: changes([13, 14]), now: start.addingTimeInterval(1.9)).isEmpty)
        #expect(cursor.advance(through: changes([13, 14]), now: start.addingTimeInterval(2)).map(\.sequence) == [13, 14])
        // A later gap waits afresh.
        #expect(cursor.advance(through: changes([16]), now: start.addingTimeInterval(2.5)).isEmpty)
        #expect(cursor.advance(through: changes([16]), now: start.addingTimeInterval(4.5)).map(\.sequence) == [16])
    }
}
