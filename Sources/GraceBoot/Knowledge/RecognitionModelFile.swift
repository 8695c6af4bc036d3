import Foundation
import GraceCore
import GraceStore

/// The recognition model a home uses: `grace_training/startup_failures/recognition_model.tsv`
/// when `grace patterns train` wrote one there, the built-in model otherwise.
///
/// The file is text, one line a record, fields separated by tabs, weights as integer
/// thousandths:
///
///     grace-recognition-model	1
///     trained_on	Tests/Corpus/failures (train, 173 logs)
///     classes	unicode_logging_crash	...	none
///     documents	18	...	80
///     bias	-512	...	1204
///     codec can	843	-12	...	-301
///
/// A format of its own rather than JSON: Foundation's JSON parser took 11 ms for the built-in
/// model on this machine against a start-up budget of 10 ms; these lines load in about 6
/// (`grace bench model-load`). Only what shows scores loads it (`grace diagnose`, `grace patterns
/// eval`): matches that heal a boot or a service decide by their signatures alone.
public struct RecognitionModelFile: Sendable {
    public let layout: GraceHomeLayout

    public init(layout: GraceHomeLayout) {
        self.layout = layout
    }

    public var path: String { layout.recognitionModel }

    static let magic = "grace-recognition-model"

    /// The home's model, or the built-in one when the home has none; a damaged file is an error
    /// that names it (never silently replaced by the built-in model).
    public func load() throws -> RecognitionModel {
        guard let data = FileManager.default.contents(atPath: path) else { return try BuiltInRecognitionModel.load() }
        return try Self.decode(data, name: path)
    }

    public static func encode(_ model: RecognitionModel) -> Data {
        func clean(_ text: String) -> String { text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
        func ints(_ values: [Double]) -> String { values.map { String(Int(($0 * 1000).rounded())) }.joined(separator: "\t") }
        var lines = ["\(magic)\t\(model.version)", (["trained_on"] + model.trainedOn.map(clean)).joined(separator: "\t"),
                     (["classes"] + model.classes).joined(separator: "\t"),
                     (["documents"] + model.documents.map(String.init)).joined(separator: "\t"), "bias\t" + ints(model.bias)]
        for feature in model.weights.keys.sorted() { lines.append(feature + "\t" + ints(model.weights[feature]!)) }
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    public static func decode(_ data: Data, name: String) throws -> RecognitionModel {
        var lines: [[Substring]] = []
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            lines.append(line.split(separator: "\t", omittingEmptySubsequences: false))
        }
        func fail(_ reason: String) -> ModelError { ModelError(file: name, reason: reason) }
        guard lines.count >= 5, lines[0].count == 2, lines[0][0] == magic, let version = Int(lines[0][1]) else {
            throw fail("is not a recognition model (it must start with a `\(magic)` line)")
        }
        guard version == RecognitionModel.formatVersion else {
            throw fail("has format version \(version); this Grace reads version \(RecognitionModel.formatVersion)")
        }
        func record(_ index: Int, _ key: String) throws -> ArraySlice<Substring> {
            guard lines[index].first == Substring(key) else { throw fail("line \(index + 1) must be the `\(key)` line") }
            return lines[index].dropFirst()
        }
        let trainedOn = try record(1, "trained_on").map(String.init)
        let classes = try record(2, "classes").map(String.init)
        guard classes.contains(RecognitionModel.none) else { throw fail("has no `none` class") }
        func numbers(_ fields: ArraySlice<Substring>, line: Int) throws -> [Double] {
            guard fields.count == classes.count else { throw fail("line \(line): \(fields.count) values for \(classes.count) classes") }
            return try fields.map { field in
                guard let value = Int(field) else { throw fail("line \(line): \"\(field)\" is not a whole number") }
                return Double(value) / 1000
            }
        }
        let documents = try numbers(try record(3, "documents"), line: 4).map { Int($0 * 1000) }
        let bias = try numbers(try record(4, "bias"), line: 5)
        var weights: [String: [Double]] = [:]
        weights.reserveCapacity(lines.count - 5)
        for index in 5..<lines.count {
            let fields = lines[index]
            guard let feature = fields.first, !feature.isEmpty else { throw fail("line \(index + 1) names no feature") }
            weights[String(feature)] = try numbers(fields.dropFirst(), line: index + 1)
        }
        return RecognitionModel(version: version, trainedOn: trainedOn, classes: classes, documents: documents, bias: bias, weights: weights)
    }

    public struct ModelError: Error, CustomStringConvertible {
        public var file: String
        public var reason: String
        public var description: String { "recognition model \(file) \(reason)" }
    }
}
