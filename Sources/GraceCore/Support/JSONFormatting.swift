import Foundation

extension JSONEncoder {
    /// One line, sorted keys, unescaped slashes: stable output for stored values, the API and
    /// `--json` (JSONEncoder orders keys at random on Linux without `.sortedKeys`).
    public static var graceCompact: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Indented, sorted keys, unescaped slashes: files people read and edit (reports, snapshot
    /// manifests, the knowledge base).
    public static var gracePretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
