import Foundation
import GraceCore
import GraceStore

/// The recognition model a home uses: `grace_training/startup_failures/recognition_model.json`
/// when `grace patterns train` wrote one there, the built-in model otherwise.
public struct RecognitionModelFile: Sendable {
    public let layout: GraceHomeLayout

    public init(layout: GraceHomeLayout) {
        self.layout = layout
    }

    public var path: String { layout.recognitionModel }

    /// The home's model, or the built-in one when the home has none; a damaged file is an error
    /// that names it (never silently replaced by the built-in model).
    public func load() throws -> RecognitionModel {
        guard let data = FileManager.default.contents(atPath: path) else { return try BuiltInRecognitionModel.load() }
        return try Self.decode(data, name: path)
    }

    /// Writes `model` atomically (the previous file stays whole until the new one is complete).
    public func save(_ model: RecognitionModel) throws {
        try FileWriting.replace(path, with: Self.encode(model))
    }

    public static func encode(_ model: RecognitionModel) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(model)
    }

    public static func decode(_ data: Data, name: String) throws -> RecognitionModel {
        let model: RecognitionModel
        do {
            model = try JSONDecoder().decode(RecognitionModel.self, from: data)
        } catch {
            throw ModelError(file: name, reason: "is not a recognition model: \(error)")
        }
        guard model.version == RecognitionModel.formatVersion else {
            throw ModelError(file: name, reason: "has format version \(model.version); this Grace reads version \(RecognitionModel.formatVersion)")
        }
        guard model.documents.count == model.classes.count, model.bias.count == model.classes.count,
              model.classes.contains(RecognitionModel.none), model.weights.values.allSatisfy({ $0.count == model.classes.count }) else {
            throw ModelError(file: name, reason: "is inconsistent: every count list must have one entry per class, and `none` must be a class")
        }
        return model
    }

    public struct ModelError: Error, CustomStringConvertible {
        public var file: String
        public var reason: String
        public var description: String { "recognition model \(file) \(reason)" }
    }
}
