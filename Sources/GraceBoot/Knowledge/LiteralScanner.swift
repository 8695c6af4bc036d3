/// Finds every occurrence of a set of literal strings in one pass over a buffer.
///
/// Each literal is indexed by its least common two-byte window (its anchor). The scan tests each
/// position's two bytes against a 64 Kib bitmap, which fits in L1 cache, and compares whole
/// literals only where an anchor matches. One pass serves any number of literals, where a
/// `memmem` per literal would read the buffer once per literal.
struct LiteralScanner: Sendable {
    private struct Entry: Sendable {
        let literal: Int
        let anchorOffset: Int
    }

    let literals: [[UInt8]]
    private let bitmap: [UInt64]
    /// Entries for each anchor bigram, flattened: `entries[starts[b] ..< starts[b + 1]]`.
    private let starts: [Int32]
    private let entries: [Entry]

    init(literals: [[UInt8]]) {
        self.literals = literals
        var buckets: [Int: [Entry]] = [:]
        for (index, literal) in literals.enumerated() where literal.count >= 2 {
            var best = 0
            var bestScore = Int.max
            for offset in 0..<(literal.count - 1) {
                let score = Self.frequency(literal[offset]) * Self.frequency(literal[offset + 1])
                if score < bestScore {
                    bestScore = score
                    best = offset
                }
            }
            let bigram = Int(literal[best]) | Int(literal[best + 1]) << 8
            buckets[bigram, default: []].append(Entry(literal: index, anchorOffset: best))
        }
        var bitmap = [UInt64](repeating: 0, count: 1024)
        var starts = [Int32](repeating: 0, count: 65_537)
        var entries: [Entry] = []
        for bigram in 0..<65_536 {
            starts[bigram] = Int32(entries.count)
            if let bucket = buckets[bigram] {
                bitmap[bigram >> 6] |= 1 << UInt64(bigram & 63)
                entries += bucket
            }
        }
        starts[65_536] = Int32(entries.count)
        self.bitmap = bitmap
        self.starts = starts
        self.entries = entries
    }

    /// Calls `hit(literalIndex, offset)` for every occurrence, in increasing offset of the anchor.
    func scan(_ buffer: UnsafeRawBufferPointer, _ hit: (Int, Int) -> Void) {
        let count = buffer.count
        guard count >= 2, !entries.isEmpty else { return }
        let bytes = buffer.bindMemory(to: UInt8.self)
        bitmap.withUnsafeBufferPointer { bitmap in
            var index = 0
            var bigram = Int(bytes[0])
            while index < count - 1 {
                bigram = (bigram & 0xFF) | Int(bytes[index + 1]) << 8
                if bitmap[bigram >> 6] & (1 << UInt64(bigram & 63)) != 0 {
                    for entryIndex in Int(starts[bigram])..<Int(starts[bigram + 1]) {
                        let entry = entries[entryIndex]
                        let start = index - entry.anchorOffset
                        let literal = literals[entry.literal]
                        guard start >= 0, start + literal.count <= count else { continue }
                        var equal = true
                        for position in 0..<literal.count where bytes[start + position] != literal[position] {
                            equal = false
                            break
                        }
                        if equal { hit(entry.literal, start) }
                    }
                }
                index += 1
                bigram = Int(bytes[index])
            }
        }
    }

    /// A rough frequency rank of a byte in log text: lower is rarer, so a better anchor.
    private static func frequency(_ byte: UInt8) -> Int {
        switch byte {
        case UInt8(ascii: " "): 40
        case UInt8(ascii: "e"), UInt8(ascii: "t"), UInt8(ascii: "a"), UInt8(ascii: "o"), UInt8(ascii: "i"), UInt8(ascii: "n"),
             UInt8(ascii: "s"), UInt8(ascii: "r"): 30
        case UInt8(ascii: "a")...UInt8(ascii: "z"): 15
        case UInt8(ascii: "0")...UInt8(ascii: "9"): 12
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): 4
        default: 2
        }
    }
}
