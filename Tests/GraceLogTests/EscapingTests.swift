import Foundation
import Testing
@testable import GraceLog

@Suite("Escaping")
struct EscapingTests {
    /// Byte-at-a-time reference for the word-at-a-time escaper.
    private func reference(_ string: String, json: Bool) -> String {
        var out = ""
        for byte in string.utf8 {
            switch byte {
            case 0x22 where json: out += "\\\""
            case 0x5C where json: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0 ..< 0x20:
                let hex = String(byte, radix: 16)
                out += "\\u00" + (hex.count == 1 ? "0" : "") + hex
            default: out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out
    }

    private func escaped(_ string: String, json: Bool) -> String {
        var buffer = ByteBuffer(capacity: 1)
        buffer.appendEscaped(string, json: json)
        return buffer.string
    }

    @Test("every special byte at every position and length matches the byte-at-a-time reference")
    func allPositions() {
        let specials: [Character] = ["\"", "\\", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", " ", "~"]
        for length in 0 ... 40 {
            for position in 0 ..< max(length, 1) {
                for special in specials {
                    var characters = Array(repeating: Character("a"), count: length)
                    if length > 0 { characters[position] = special }
                    let string = String(characters)
                    #expect(escaped(string, json: true) == reference(string, json: true), "\(length) \(position) \(special)")
                    #expect(escaped(string, json: false) == reference(string, json: false), "\(length) \(position) \(special)")
                }
            }
        }
    }

    @Test("non-ASCII passes through, plain mode keeps quotes and backslashes")
    func passThrough() {
        let text = "é日本🙂 \"q\" \\ end"
        #expect(escaped(text, json: true) == "é日本🙂 \\\"q\\\" \\\\ end")
        #expect(escaped(text, json: false) == text)
        #expect(escaped("a\u{2028}b\u{85}c", json: true) == "a\u{2028}b\u{85}c")
    }

    @Test("quoted strings are what JSONEncoder writes, for every ASCII byte and non-ASCII text")
    func sameAsJSONEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var texts = (0 ..< 0x80).map { String(UnicodeScalar(UInt8($0))) }
        texts += ["", "a/b", "é日本🙂", "mixed \u{1}\t\"q\" / \\ end", String(repeating: "long text ", count: 20) + "\u{8}"]
        for text in texts {
            var quoted: [UInt8] = []
            JSONEscaping.appendQuoted(text, to: &quoted)
            #expect(quoted == Array(try encoder.encode(text)), "\(Array(text.utf8))")
        }
    }
}
