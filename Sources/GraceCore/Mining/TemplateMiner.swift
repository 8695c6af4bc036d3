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
    private var tokenIDs: [String: Int32] = [:]
    private var tokenTexts: [String] = []
    private var tokenIsWord: [Bool] = []

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
        let pieces = MessageTokenizer.scan(bytes)
        var ids = [Int32]()
        ids.reserveCapacity(pieces.count)
        for piece in pieces {
            if piece.variable {
                ids.append(Self.wildcard)
            } else {
                ids.append(intern(String(decoding: UnsafeBufferPointer(rebasing: bytes[piece.range]), as: UTF8.self)))
            }
        }

        var node = child(of: 0, key: Int32(truncatingIfNeeded: ids.count), bounded: false)
        for id in ids.prefix(configuration.prefixDepth) {
            let key = id >= 0 && tokenIsWord[Int(id)] ? id : Self.wildcard
            node = child(of: node, key: key)
        }

        var best = -1
        var bestScore = -Double.infinity
        for candidate in nodes[node].clusters {
            let score = similarity(clusters[Int(candidate)].tokens, ids)
            if score > bestScore {
                bestScore = score
                best = Int(candidate)
            }
        }
        if best >= 0, bestScore >= configuration.similarityThreshold {
            for position in ids.indices where clusters[best].tokens[position] != ids[position] {
                clusters[best].tokens[position] = Self.wildcard
            }
            clusters[best].count += 1
            return best
        }
        let (tokens, trailer) = MessageTokenizer.render(pieces, in: bytes)
        clusters.append(Cluster(tokens: ids, leads: tokens.map(\.lead), trailer: trailer, count: 1,
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

    private mutating func intern(_ text: String) -> Int32 {
        if let id = tokenIDs[text] { return id }
        let id = Int32(tokenTexts.count)
        tokenIDs[text] = id
        tokenTexts.append(text)
        tokenIsWord.append(!text.isEmpty && text.utf8.allSatisfy(Bytes.isLetter))
        return id
    }

    private func similarity(_ template: [Int32], _ tokens: [Int32]) -> Double {
        guard !template.isEmpty else { return 1 }
        var same = 0
        var conflicts = 0
        for position in template.indices {
            let a = template[position]
            let b = tokens[position]
            if a == b {
                if a != Self.wildcard { same += 1 }
            } else if a != Self.wildcard, b != Self.wildcard {
                conflicts += 1
            }
        }
        return (Double(same) - configuration.constantMismatchWeight * Double(conflicts)) / Double(template.count)
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
            text += id == Self.wildcard ? "<*>" : tokenTexts[Int(id)]
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
