/// Finds every occurrence of a set of literal strings in one pass over a buffer.
///
/// Each literal is indexed by its least common two-byte window (its anchor). The scan tests each
/// position's two bytes against a 64 Kib bitmap, which fits in L1 cache, and compares whole
/// literals only where an anchor matches. One pass serves any number of literals, where a
/// `memmem` per literal would read the buffer once per literal.
///
/// A literal may be case-insensitive (ASCII letters): its anchor is indexed in every case
/// combination, so the scan itself stays as fast, and only the comparison folds case.
struct LiteralScanner: Sendable {
    private struct Entry: Sendable {
        let literal: Int
        let anchorOffset: Int
        let foldsCase: Bool
    }

    /// Literals as given (lowercased when case-insensitive).
    let literals: [[UInt8]]
    private let bitmap: [UInt64]
    /// Entries for each anchor bigram, flattened: `entries[starts[b] ..< starts[b + 1]]`.
    private let starts: [Int32]
    private let entries: [Entry]

    init(literals: [[UInt8]], caseInsensitive: [Bool] = []) {
        let folds = literals.indices.map { $0 < caseInsensitive.count && caseInsensitive[$0] }
        self.literals = literals.enumerated().map { index, literal in folds[index] ? literal.map(Self.lower) : literal }
        var buckets: [Int: [Entry]] = [:]
        for (index, literal) in self.literals.enumerated() where literal.count >= 2 {
            var best = 0
            var bestScore = Int.max
            for offset in 0..<(literal.count - 1) {
                let score = Self.frequency(literal[offset], folds[index]) * Self.frequency(literal[offset + 1], folds[index])
                if score < bestScore {
                    bestScore = score
                    best = offset
                }
            }
            let entry = Entry(literal: index, anchorOffset: best, foldsCase: folds[index])
            let firsts = folds[index] ? Self.cases(of: literal[best]) : [literal[best]]
            let seconds = folds[index] ? Self.cases(of: literal[best + 1]) : [literal[best + 1]]
            for first in firsts {
                for second in seconds { buckets[Int(first) | Int(second) << 8, default: []].append(entry) }
            }
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
                        if entry.foldsCase {
                            for position in 0..<literal.count where Self.lower(bytes[start + position]) != literal[position] {
                                equal = false
                                break
                            }
                        } else {
                            for position in 0..<literal.count where bytes[start + position] != literal[position] {
                                equal = false
                                break
                            }
                        }
                        if equal { hit(entry.literal, start) }
                    }
                }
                index += 1
                bigram = Int(bytes[index])
            }
        }
    }

    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    private static func cases(of byte: UInt8) -> [UInt8] {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? [byte, byte - 32] : [byte]
    }

    /// A rough frequency rank of a byte in log text: lower is rarer, so a better anchor. A
    /// case-folded letter counts both its cases.
    private static func frequency(_ byte: UInt8, _ folds: Bool) -> Int {
        let own = frequency(byte)
        guard folds, byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") else { return own }
        return own + frequency(byte - 32)
    }

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
