#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// Known secret values replaced by `"[REDACTED]"` in messages and metadata before anything is
/// written.
///
/// Matching is done on the raw UTF-8 bytes, before any escaping, so a secret containing quotes,
/// backslashes or control characters cannot slip through in escaped form. Where occurrences of
/// several secrets overlap, the whole overlapping span is replaced, so no part of any of them
/// survives.
public struct SecretRedactor: Sendable {
    /// The text that replaces each secret.
    public static let replacement = "[REDACTED]"

    /// A redactor that knows no secrets; redaction is then a no-op.
    public static let none = SecretRedactor(secrets: [])

    /// UTF-8 bytes of each distinct secret, longest first.
    let secrets: [[UInt8]]
    private let shortest: Int

    /// Creates a redactor for `secrets`, ignoring empty strings and values shorter than
    /// 4 characters (they would redact ordinary words).
    public init(secrets: [String]) {
        var seen = Set<String>()
        var list: [[UInt8]] = []
        for secret in secrets where secret.count >= 4 && seen.insert(secret).inserted {
            list.append(Array(secret.utf8))
        }
        list.sort { $0.count > $1.count }
        self.secrets = list
        self.shortest = list.last?.count ?? 0
    }

    /// True when there is nothing to redact.
    public var isEmpty: Bool { secrets.isEmpty }

    /// `text` with every occurrence of a known secret replaced by `"[REDACTED]"`.
    public func redact(_ text: String) -> String {
        if secrets.isEmpty || text.utf8.count < shortest { return text }
        let redacted: [UInt8]?? = text.utf8.withContiguousStorageIfAvailable { redactedBytes($0) }
        switch redacted {
        case .some(.none):
            return text
        case .some(.some(let bytes)):
            return String(decoding: bytes, as: UTF8.self)
        case .none:
            var copy = text
            guard let bytes = copy.withUTF8({ redactedBytes($0) }) else { return text }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Redacts keys and values, recursively. Only call when `isEmpty` is false.
    func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        var result: Logger.Metadata = [:]
        result.reserveCapacity(metadata.count)
        for (key, value) in metadata {
            result[redact(key)] = redact(value)
        }
        return result
    }

    func redact(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .string(let string):
            return .string(redact(string))
        case .stringConvertible(let convertible):
            return .string(redact(convertible.description))
        case .dictionary(let dictionary):
            return .dictionary(redact(dictionary))
        case .array(let array):
            return .array(array.map { redact($0) })
        }
    }

    /// The redacted bytes, or nil when no secret occurs in `bytes`.
    private func redactedBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let base = bytes.baseAddress, bytes.count >= shortest else { return nil }
        var matches: [Range<Int>] = []
        for secret in secrets where secret.count <= bytes.count {
            secret.withUnsafeBytes { needle in
                let first = Int32(needle[0])
                let lastStart = bytes.count - needle.count
                var start = 0
                while start <= lastStart {
                    guard let found = memchr(base + start, first, lastStart - start + 1) else { break }
                    let index = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                    if memcmp(base + index, needle.baseAddress!, needle.count) == 0 {
                        matches.append(index ..< index + needle.count)
                    }
                    // Advance by one byte so overlapping occurrences ("aaaa" in "aaaaa") are all covered.
                    start = index + 1
                }
            }
        }
        if matches.isEmpty { return nil }
        matches.sort { $0.lowerBound < $1.lowerBound }

        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 16)
        var copied = 0
        var index = 0
        while index < matches.count {
            var span = matches[index]
            index += 1
            while index < matches.count, matches[index].lowerBound <= span.upperBound {
                span = span.lowerBound ..< max(span.upperBound, matches[index].upperBound)
                index += 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied ..< span.lowerBound]))
            output.append(contentsOf: Self.replacement.utf8)
            copied = span.upperBound
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
        return output
    }
}
