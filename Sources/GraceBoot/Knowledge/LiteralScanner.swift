/// Finds every occurrence of a set of literal strings in one pass over a buffer.
///
/// A Wu-Manber scan with two-byte blocks: with `m` the length of the shortest literal, a window
/// of `m` bytes slides over the buffer, and the two bytes at its end decide how far it may jump
/// (up to `m - 1` bytes) without passing over any literal's first `m` bytes. Only where the jump
/// is zero are whole literals compared. One pass serves any number of literals, where a `memmem`
/// per literal would read the buffer once per literal, and most positions are never looked at.
///
/// A literal may be case-insensitive (ASCII letters): its blocks are indexed in every case
/// combination, so the scan itself stays as fast, and only the comparison folds case.
struct LiteralScanner: Sendable {
    private struct Entry: Sendable {
        let literal: Int
        let foldsCase: Bool
    }

    /// Literals as given (lowercased when case-insensitive).
    let literals: [[UInt8]]
    /// The length of the shortest indexed literal (literals of fewer than two bytes are never found).
    private let window: Int
    /// Per two-byte block (first byte | second << 8): how far the window may move when its last
    /// two bytes are this block.
    private let shifts: [UInt8]
    /// Literals whose `window`-byte prefix ends with each block, flattened: `entries[starts[b] ..< starts[b + 1]]`.
    private let starts: [Int32]
    private let entries: [Entry]

    init(literals: [[UInt8]], caseInsensitive: [Bool] = []) {
        let folds = literals.indices.map { $0 < caseInsensitive.count && caseInsensitive[$0] }
        let lowered = literals.enumerated().map { index, literal in folds[index] ? literal.map(Self.lower) : literal }
        let indexed = lowered.indices.filter { lowered[$0].count >= 2 }
        // At most 255 so a shift fits a byte; longer literals are then compared from their start.
        let window = min(indexed.map { lowered[$0].count }.min() ?? 2, 255)
        var shifts = [UInt8](repeating: UInt8(window - 1), count: 65_536)
        var buckets: [Int: [Entry]] = [:]
        for index in indexed {
            let literal = lowered[index]
            for offset in 0...(window - 2) {
                let firsts = folds[index] ? Self.cases(of: literal[offset]) : [literal[offset]]
                let seconds = folds[index] ? Self.cases(of: literal[offset + 1]) : [literal[offset + 1]]
                for first in firsts {
                    for second in seconds {
                        let block = Int(first) | Int(second) << 8
                        shifts[block] = min(shifts[block], UInt8(window - 2 - offset))
                        if offset == window - 2 { buckets[block, default: []].append(Entry(literal: index, foldsCase: folds[index])) }
                    }
                }
            }
        }
        var starts = [Int32](repeating: 0, count: 65_537)
        var entries: [Entry] = []
        for block in 0..<65_536 {
            starts[block] = Int32(entries.count)
            if let bucket = buckets[block] { entries += bucket }
        }
        starts[65_536] = Int32(entries.count)
        self.literals = lowered
        self.window = window
        self.shifts = shifts
        self.starts = starts
        self.entries = entries
    }

    /// Calls `hit(literalIndex, offset)` for every occurrence, in increasing offset.
    func scan(_ buffer: UnsafeRawBufferPointer, _ hit: (Int, Int) -> Void) {
        let count = buffer.count
        guard count >= window, !entries.isEmpty else { return }
        let bytes = buffer.bindMemory(to: UInt8.self)
        let back = window - 2
        shifts.withUnsafeBufferPointer { shifts in
            var position = back  // where the window's last block starts
            while position + 1 < count {
                let block = Int(bytes[position]) | Int(bytes[position + 1]) << 8
                let shift = Int(shifts[block])
                if shift > 0 {
                    position += shift
                    continue
                }
                let start = position - back
                for entryIndex in Int(starts[block])..<Int(starts[block + 1]) {
                    let entry = entries[entryIndex]
                    let literal = literals[entry.literal]
                    guard start + literal.count <= count else { continue }
                    var equal = true
                    if entry.foldsCase {
                        for offset in 0..<literal.count where Self.lower(bytes[start + offset]) != literal[offset] {
                            equal = false
                            break
                        }
                    } else {
                        for offset in 0..<literal.count where bytes[start + offset] != literal[offset] {
                            equal = false
                            break
                        }
                    }
                    if equal { hit(entry.literal, start) }
                }
                position += 1
            }
        }
    }

    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    private static func cases(of byte: UInt8) -> [UInt8] {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? [byte, byte - 32] : [byte]
    }
}
