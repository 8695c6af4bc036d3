/// Groups log messages into templates as they stream in: a fixed-depth parse tree in the manner of
/// Drain (P. He, J. Zhu, Z. Zheng, M. R. Lyu, "Drain: An Online Log Parsing Approach with Fixed
/// Depth Tree", ICWS 2017). No Swift package does this (the maintained implementation is the Python
/// Drain3), so it is written here.
///
/// Each message is tokenised by ``MessageTokenizer`` (numbers, hex, IPs, host names, paths, UUIDs
/// and quoted values masked). The tree routes it by its token count and then by its first
/// ``Configuration/prefixDepth`` tokens (a token that is not a plain word takes the wildcard
/// branch, as does any token once a node is full). At the leaf the message joins the most similar
/// cluster if the similarity reaches ``Configuration/similarityThreshold``, else it starts one.
/// Similarity is the share of positions where both hold the same constant token, less
/// ``Configuration/constantMismatchWeight`` for every position where both hold *different*
/// constants: two words that disagree usually mean two different events, while values were already
/// masked. Joining turns the positions that differ into `<*>`. At the end, clusters whose templates
/// are equal once runs of `<*>` fold into one are merged (a variable part that spans a different
/// number of tokens). One configuration serves every input.
public struct TemplateMiner: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// How many leading tokens route a message below its token-count node (Drain's depth − 2).
        public var prefixDepth: Int
        public var similarityThreshold: Double
        public var constantMismatchWeight: Double
        /// Children per tree node before further tokens take the wildcard branch.
        public var maxChildren: Int

        public init(prefixDepth: Int = 2, similarityThreshold: Double = 0.5, constantMismatchWeight: Double = 3, maxChildren: Int = 100) {
            self.prefixDepth = prefixDepth
            self.similarityThreshold = similarityThreshold
            self.constantMismatchWeight = constantMismatchWeight
            self.maxChildren = maxChildren
        }

        public static let standard = Configuration()
    }

    /// The token id of a variable position.
    private static let wildcard: Int32 = -1

    private struct Node: Sendable {
        var children: [Int32: Int32] = [:]
        var clusters: [Int32] = []
    }

    private struct Cluster: Sendable {
        var tokens: [Int32]
        /// The separators before each token and after the last, from the first message.
        var leads: [String]
        var trailer: String
        var count: Int
        var example: String
    }

    public let configuration: Configuration
    private var nodes: [Node] = [Node()]
    private var clusters: [Cluster] = []
    private var tokens = TokenTable()
    private var buffers = MessageTokenizer.Buffers()
    private var ids: [Int32] = []
    /// Masked token sequences already placed, and their cluster: such a message joins it again
    /// without a scan (that cluster's template covers it and only ever gains wildcards, so joining
    /// changes nothing). Cleared when it reaches ``memoLimit`` entries.
    private var placed: [[Int32]: Int32] = [:]
    private static let memoLimit = 100_000

    public init(configuration: Configuration = .standard) {
        self.configuration = configuration
    }

    /// How many messages have been added.
    public private(set) var messageCount = 0

    /// Adds one message and returns its provisional cluster (stable for that cluster; see
    /// ``result()`` for the final grouping, which may merge provisional clusters).
    @discardableResult
    public mutating func add(_ message: String) -> Int {
        var copy = message
        return copy.withUTF8 { add(utf8: $0) }
    }

    /// ``add(_:)`` for a message given as UTF-8 bytes (invalid sequences are repaired).
    @discardableResult
    public mutating func add(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int {
        messageCount += 1
        MessageTokenizer.scan(bytes, into: &buffers)
        ids.removeAll(keepingCapacity: true)
        for piece in buffers.pieces {
            ids.append(piece.variable ? Self.wildcard : tokens.intern(UnsafeBufferPointer(rebasing: bytes[piece.range])))
        }

        if let known = placed[ids] {
            clusters[Int(known)].count += 1
            return Int(known)
        }
        let chosen = place(bytes)
        if placed.count >= Self.memoLimit { placed.removeAll(keepingCapacity: true) }
        placed[ids] = Int32(chosen)
        return chosen
    }

    /// Drain's step for `ids`: down the tree, then the most similar cluster of the leaf, or a new one.
    private mutating func place(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var node = child(of: 0, key: Int32(truncatingIfNeeded: ids.count), bounded: false)
        for id in ids.prefix(configuration.prefixDepth) {
            let key = id >= 0 && tokens.isWord(id) ? id : Self.wildcard
            node = child(of: node, key: key)
        }

        var best = -1
        var bestScore = -Double.infinity
        ids.withUnsafeBufferPointer { message in
            for candidate in nodes[node].clusters {
                let score = clusters[Int(candidate)].tokens.withUnsafeBufferPointer { template in
                    similarity(template, message, toBeat: max(bestScore, configuration.similarityThreshold))
                }
                if let score, score > bestScore {
                    bestScore = score
                    best = Int(candidate)
                }
            }
        }
        if best >= 0, bestScore >= configuration.similarityThreshold {
            for position in ids.indices where clusters[best].tokens[position] != ids[position] {
                clusters[best].tokens[position] = Self.wildcard
            }
            clusters[best].count += 1
            return best
        }
        let (rendered, trailer) = MessageTokenizer.render(buffers.pieces, in: bytes)
        clusters.append(Cluster(tokens: ids, leads: rendered.map(\.lead), trailer: trailer, count: 1,
                                example: String(decoding: bytes, as: UTF8.self)))
        nodes[node].clusters.append(Int32(clusters.count - 1))
        return clusters.count - 1
    }

    /// The child of `node` for `key`, created while the node has room (or is not `bounded`), else
    /// its wildcard child.
    private mutating func child(of node: Int, key: Int32, bounded: Bool = true) -> Int {
        if let existing = nodes[node].children[key] { return Int(existing) }
        let key = !bounded || nodes[node].children.count < configuration.maxChildren ? key : Self.wildcard
        if let existing = nodes[node].children[key] { return Int(existing) }
        nodes.append(Node())
        nodes[node].children[key] = Int32(nodes.count - 1)
        return nodes.count - 1
    }

    /// The similarity of `tokens` to `template`, or nil as soon as it cannot beat `toBeat` (it
    /// could then neither be the best candidate nor reach the threshold, so skipping it changes nothing).
    private func similarity(_ template: UnsafeBufferPointer<Int32>, _ tokens: UnsafeBufferPointer<Int32>, toBeat: Double) -> Double? {
        guard !template.isEmpty else { return 1 }
        let count = Double(template.count)
        let weight = configuration.constantMismatchWeight
        var same = 0
        var conflicts = 0
        for position in 0..<template.count {
            let a = template[position]
            let b = tokens[position]
            if a == b {
                if a != Self.wildcard { same += 1 }
            } else if a != Self.wildcard, b != Self.wildcard {
                conflicts += 1
                let best = (Double(same + template.count - position - 1) - weight * Double(conflicts)) / count
                if best < toBeat { return nil }
            }
        }
        return (Double(same) - weight * Double(conflicts)) / count
    }

    /// The final grouping: clusters numbered from 1 in order of first appearance, and for each
    /// provisional cluster id returned by ``add(_:)`` the final cluster it belongs to.
    public func result() -> MiningResult {
        var finalIDs = [Int](repeating: 0, count: clusters.count)
        var byShape: [[Int32]: Int] = [:]
        var mined: [MinedCluster] = []
        for (index, cluster) in clusters.enumerated() {
            var shape: [Int32] = []
            for id in cluster.tokens where !(id == Self.wildcard && shape.last == Self.wildcard) { shape.append(id) }
            if let existing = byShape[shape] {
                finalIDs[index] = existing
                mined[existing - 1].count += cluster.count
            } else {
                mined.append(MinedCluster(id: mined.count + 1, template: render(cluster), count: cluster.count, example: cluster.example))
                byShape[shape] = mined.count
                finalIDs[index] = mined.count
            }
        }
        return MiningResult(clusters: mined, finalCluster: finalIDs)
    }

    private func render(_ cluster: Cluster) -> String {
        var text = ""
        for (position, id) in cluster.tokens.enumerated() {
            text += cluster.leads[position]
            text += id == Self.wildcard ? "<*>" : tokens.text(id)
        }
        return text + cluster.trailer
    }

    /// Mines `messages` in one pass; `assignments[i]` is the final cluster of `messages[i]`.
    public static func mine(_ messages: some Sequence<String>, configuration: Configuration = .standard) -> (result: MiningResult, assignments: [Int]) {
        var miner = TemplateMiner(configuration: configuration)
        let provisional = messages.map { miner.add($0) }
        let result = miner.result()
        return (result, provisional.map { result.finalCluster[$0] })
    }
}

/// One mined cluster: its template (variable parts `<*>`), how many messages it holds, the first.
public struct MinedCluster: Sendable, Hashable, Codable {
    public var id: Int
    public var template: String
    public var count: Int
    public var example: String
}

public struct MiningResult: Sendable {
    /// Clusters in order of first appearance; `clusters[i].id == i + 1`.
    public var clusters: [MinedCluster]
    /// For each provisional id from ``TemplateMiner/add(_:)``, the final cluster id.
    public var finalCluster: [Int]

    public func cluster(forProvisional id: Int) -> MinedCluster { clusters[finalCluster[id] - 1] }
}

/// Constant tokens interned to small integers, keyed by their bytes: an open-addressing table
/// over one byte arena. Written by hand because a `[String: Int32]` lookup costs a `String`
/// and a SipHash per token, which was a third of mining time.
struct TokenTable: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    private var words: [Bool] = []
    /// Slots hold token id + 1; 0 is empty. Always a power of two, at most half full.
    private var slots = [Int32](repeating: 0, count: 1024)

    func isWord(_ id: Int32) -> Bool { words[Int(id)] }

    func text(_ id: Int32) -> String {
        String(decoding: arena[starts[Int(id)]..<starts[Int(id) + 1]], as: UTF8.self)
    }

    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        // FNV-1a, 64 bit: tokens are short, so a simple hash is fastest.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let id = Int(entry - 1)
            if hashes[id] == hash, equal(id, bytes) { return Int32(id) }
            slot = (slot + 1) & mask
        }
        let id = Int32(hashes.count)
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        hashes.append(hash)
        words.append(!bytes.isEmpty && bytes.allSatisfy(Bytes.isLetter))
        slots[slot] = id + 1
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    private func equal(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[id]
        guard starts[id + 1] - start == bytes.count else { return false }
        for offset in 0..<bytes.count where arena[start + offset] != bytes[offset] { return false }
        return true
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }
}
