import Foundation

/// A learned scorer beside the signatures: logistic regression over the words of an error block.
///
/// Each class is a pattern id or ``none``. A block counts as a set of features (lower-cased words
/// with digits masked, and pairs of adjacent words), and the model is a softmax (multinomial
/// logistic) regression over their presence, L2-regularised, fitted by full-batch gradient descent.
/// (Naive Bayes was tried first: over blocks of 40 lines it was so overconfident that it set aside
/// a third of the real failures.) The model is small and explainable: a ``Rating`` names the
/// features whose weights pull most toward the pattern against `none`.
///
/// The signatures decide what is matched and where (the evidence lines and captured names) and
/// what is healed; the model rates the block around each match (``rate(_:pattern:explaining:)``)
/// so a reader sees how typical the block is and which words say so. It advises and decides
/// nothing: vetoing matches it rated low, or sending their fixes to approval, was measured and cost
/// real failures on logs it had not seen (docs/recognition.md).
/// Written by hand: no Swift package on the machine offers a text classifier, and the algorithm is
/// a few dozen lines of arithmetic.
public struct RecognitionModel: Sendable, Equatable {
    /// The class of blocks that show none of the patterns.
    public static let none = "none"
    public static let formatVersion = 1

    public var version: Int
    /// Where the model was trained from (a corpus folder and split, a home), for `grace patterns train`'s report.
    public var trainedOn: [String]
    /// Pattern ids and ``none``.
    public var classes: [String]
    /// Training blocks per class, index-aligned with ``classes`` (for the report; not used to score).
    public var documents: [Int]
    /// Per class, the score of a block that holds no known feature.
    public var bias: [Double]
    /// For each feature, its weight toward each class.
    public var weights: [String: [Double]]

    public init(version: Int, trainedOn: [String], classes: [String], documents: [Int], bias: [Double], weights: [String: [Double]]) {
        self.version = version
        self.trainedOn = trainedOn
        self.classes = classes
        self.documents = documents
        self.bias = bias
        self.weights = weights
    }

    /// One labelled training block.
    public struct Example: Sendable {
        /// Pattern ids the block shows; empty for none.
        public var labels: Set<String>
        public var text: String

        public init(labels: Set<String>, text: String) {
            self.labels = labels
            self.text = text
        }
    }

    /// Fits the model to `examples`. A block labelled with two patterns is half each. Features seen
    /// in fewer than `minimumDocuments` blocks are left out, which keeps the model small and
    /// stops it learning one thread's names.
    public static func train(_ examples: [Example], patternIDs: [String], trainedOn: [String], minimumDocuments: Int = 2,
                             epochs: Int = 400, learningRate: Double = 0.5,
                             regularisation: Double = 1e-3) -> RecognitionModel {
        let classes = patternIDs + [none]
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let k = classes.count
        var documents = [Int](repeating: 0, count: k)
        var rows: [(features: Set<String>, targets: [Int])] = []
        var seen: [String: Int] = [:]
        for example in examples {
            let targets = example.labels.isEmpty ? [index[none]!] : example.labels.compactMap { index[$0] }
            guard !targets.isEmpty else { continue }
            let features = Self.features(of: example.text)
            for target in targets { documents[target] += 1 }
            for feature in features { seen[feature, default: 0] += 1 }
            rows.append((features, targets))
        }
        let vocabulary = seen.filter { $0.value >= minimumDocuments }.keys.sorted()
        let column = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
        let data = rows.map { row in (columns: row.features.compactMap { column[$0] }, targets: row.targets) }
        var w = [Double](repeating: 0, count: vocabulary.count * k)  // w[f * k + c]
        var b = [Double](repeating: 0, count: k)
        let n = Double(max(data.count, 1))
        for _ in 0..<epochs {
            var gw = [Double](repeating: 0, count: w.count)
            var gb = [Double](repeating: 0, count: k)
            for row in data {
                var z = b
                for f in row.columns { for c in 0..<k { z[c] += w[f * k + c] } }
                let p = softmax(z)
                for c in 0..<k {
                    let target = row.targets.contains(c) ? 1 / Double(row.targets.count) : 0
                    let g = p[c] - target
                    gb[c] += g
                    for f in row.columns { gw[f * k + c] += g }
                }
            }
            for i in w.indices { w[i] -= learningRate * (gw[i] / n + regularisation * w[i]) }
            for c in 0..<k { b[c] -= learningRate * gb[c] / n }
        }
        // Four decimals are plenty for a score and keep the shipped model small.
        func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
        var weights: [String: [Double]] = [:]
        for (f, feature) in vocabulary.enumerated() { weights[feature] = (0..<k).map { rounded(w[f * k + $0]) } }
        return RecognitionModel(version: formatVersion, trainedOn: trainedOn, classes: classes, documents: documents,
                                bias: b.map(rounded), weights: weights)
    }

    /// The model's verdict on one match of `pattern` in a block.
    public struct Rating: Sendable, Equatable {
        /// P(pattern | block) among the model's classes, 0 to 1; nil for a pattern it was not trained
        /// on (one promoted or added later).
        public var score: Double?
        /// The block's features that pull most toward the pattern against none, strongest first.
        public var why: [String]
    }

    /// Rates a signature's match of `pattern` in `text` (its error block).
    public func rate(_ text: String, pattern: String, explaining limit: Int = 5) -> Rating {
        guard let c = classes.firstIndex(of: pattern), let n = classes.firstIndex(of: Self.none) else {
            return Rating(score: nil, why: [])
        }
        // Summed in sorted order: a set's order varies between instances, and a float sum with it,
        // so the same block would not always get exactly the same score.
        let present = Self.features(of: text).sorted().compactMap { feature in weights[feature].map { (feature: feature, weights: $0) } }
        let z = scores(present.map(\.weights))
        var pulls: [(feature: String, weight: Double)] = []
        for (feature, weight) in present where weight[c] - weight[n] > 0 { pulls.append((feature, weight[c] - weight[n])) }
        pulls.sort { $0.weight > $1.weight || ($0.weight == $1.weight && $0.feature < $1.feature) }
        return Rating(score: Self.softmax(z)[c], why: pulls.prefix(limit).map(\.feature))
    }

    /// The likeliest class of a block on the model alone (nil for none): how much the model knows
    /// without the signatures, which `grace patterns eval --model-only` measures.
    public func classify(_ text: String) -> String? {
        let z = scores(Self.features(of: text).sorted().compactMap { weights[$0] })
        guard let best = z.indices.max(by: { z[$0] < z[$1] }), classes[best] != Self.none else { return nil }
        return classes[best]
    }

    /// The score of every class for a block holding features with these weights.
    func scores(_ present: [[Double]]) -> [Double] {
        var z = bias
        for weight in present { for c in z.indices { z[c] += weight[c] } }
        return z
    }

    static func softmax(_ z: [Double]) -> [Double] {
        let top = z.max() ?? 0
        let e = z.map { exp($0 - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }

    /// The distinct features of a block: words (runs of letters, digits and `_`, lower-cased, 2 to
    /// 40 characters, digits masked as `0`, numbers alone dropped) and pairs of adjacent words.
    public static func features(of text: String) -> Set<String> {
        var words: [String] = []
        var current: [UInt8] = []
        var hasLetter = false
        func flush() {
            if hasLetter, current.count >= 2, current.count <= 40 { words.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
            hasLetter = false
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(byte + 32); hasLetter = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"): current.append(byte); hasLetter = hasLetter || byte != UInt8(ascii: "_")
            case UInt8(ascii: "0")...UInt8(ascii: "9"): current.append(UInt8(ascii: "0"))
            default: flush()
            }
        }
        flush()
        var result = Set(words)
        for (first, second) in zip(words, words.dropFirst()) { result.insert(first + " " + second) }
        return result
    }
}
