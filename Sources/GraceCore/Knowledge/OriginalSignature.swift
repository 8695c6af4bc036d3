import Crypto
import Foundation

/// The original system's learned-incident signature, computed as it did: the message with dates
/// (`\d{4}-\d{2}-\d{2}` → `DATE`), then digit runs (`\d+` → `NUM`), then hex runs of eight or more
/// (`[a-f0-9]{8,}` → `HASH`) replaced, in that order; then the first 16 hex digits of the SHA-256
/// of the UTF-8 result.
///
/// Grace matches line by line with regular expressions, so a learned incident becomes the regex
/// ``regex(forMessage:)`` of its message: the message's constant text with each `DATE`, `NUM` and
/// `HASH` part turned back into what it replaced. A message matches that regex exactly when its
/// normalised form equals the incident's, i.e. when its original signature is the same, and it may
/// sit inside a longer log line (after a timestamp, say), as the original's substring check allowed.
public enum OriginalSignature {
    /// One piece of a normalised message.
    enum Part: Equatable {
        case text(String)
        case date, number, hexRun
    }

    /// `message` as the original normalised it.
    public static func normalise(_ message: String) -> String {
        parts(of: message).map { part in
            switch part {
            case .text(let text): text
            case .date: "DATE"
            case .number: "NUM"
            case .hexRun: "HASH"
            }
        }.joined()
    }

    /// The original's signature of `message`: 16 lowercase hex digits.
    public static func hash(_ message: String) -> String {
        let digest = SHA256.hash(data: Data(normalise(message).utf8))
        return digest.prefix(8).map { byte in byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
    }

    /// Whether `text` has the shape of such a signature (16 lowercase hex digits).
    public static func isSignature(_ text: String) -> Bool {
        text.utf8.count == 16 && text.utf8.allSatisfy { Bytes.isDigit($0) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// A regex matching the messages whose signature equals that of `message`.
    public static func regex(forMessage message: String) -> String {
        parts(of: message).map { part in
            switch part {
            case .text(let text): NSRegularExpression.escapedPattern(for: text)
            case .date: #"\d{4}-\d{2}-\d{2}"#
            case .number: #"\d+"#
            case .hexRun: "[a-f]{8,}"
            }
        }.joined()
    }

    /// The longest constant piece of `message`, which every line the regex matches contains.
    public static func literal(forMessage message: String) -> String {
        parts(of: message).compactMap { if case .text(let text) = $0 { text } else { nil } }.max { $0.count < $1.count } ?? ""
    }

    /// The three substitutions, applied in the original's order, each to the text the previous
    /// left (as Python's `re.sub` does: leftmost first, without overlaps). After the digit pass no
    /// digits are left, so the hex pass finds runs of `a`–`f` only.
    static func parts(of message: String) -> [Part] {
        var parts: [Part] = [.text(message)]
        parts = split(parts, as: .date) { scalars, index in isDate(at: index, scalars) ? index + 10 : nil }
        parts = split(parts, as: .number) { scalars, index in
            var end = index
            while end < scalars.count, isDigit(scalars[end]) { end += 1 }
            return end > index ? end : nil
        }
        parts = split(parts, as: .hexRun) { scalars, index in
            var end = index
            while end < scalars.count, isHexLetter(scalars[end]) { end += 1 }
            return end - index >= 8 ? end : nil
        }
        return parts
    }

    /// Replaces in each text part every leftmost match (`match` gives its end, or nil) by `kind`.
    private static func split(_ parts: [Part], as kind: Part, match: ([Unicode.Scalar], Int) -> Int?) -> [Part] {
        var result: [Part] = []
        for part in parts {
            guard case .text(let text) = part else {
                result.append(part)
                continue
            }
            let scalars = Array(text.unicodeScalars)
            var pending = String.UnicodeScalarView()
            var index = 0
            while index < scalars.count {
                if let end = match(scalars, index) {
                    if !pending.isEmpty { result.append(.text(String(pending))) }
                    pending = String.UnicodeScalarView()
                    result.append(kind)
                    index = end
                } else {
                    pending.append(scalars[index])
                    index += 1
                }
            }
            if !pending.isEmpty { result.append(.text(String(pending))) }
        }
        return result
    }

    /// Python's `\d` in a str pattern: any decimal digit.
    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.numericType == .decimal }

    private static func isHexLetter(_ scalar: Unicode.Scalar) -> Bool { scalar >= "a" && scalar <= "f" }

    /// `\d{4}-\d{2}-\d{2}` at `index`.
    private static func isDate(at index: Int, _ scalars: [Unicode.Scalar]) -> Bool {
        guard index + 10 <= scalars.count else { return false }
        for offset in 0..<10 {
            if offset == 4 || offset == 7 {
                if scalars[index + offset] != "-" { return false }
            } else if !isDigit(scalars[index + offset]) {
                return false
            }
        }
        return true
    }
}
