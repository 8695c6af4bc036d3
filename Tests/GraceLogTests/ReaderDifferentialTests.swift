import Foundation
import Testing
@testable import GraceLog

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random log lines in many layouts, compared against a reference built on JSONSerialization.
@Suite("LogReader against a JSONSerialization reference")
struct ReaderDifferentialTests {
    let directory: TemporaryDirectory
    init() throws { directory = try TemporaryDirectory() }

    static let values = ["http", "store", "caf\u{e9}", "a/b", "say \"hi\"", "run_1", "run_2", "ERROR", "INFO", "CRITICAL", "WARNING", "x\ny", "ht"]
    static let keys = ["subsystem", "run_id", "playbook_id", "verification_id", "request_id", "level", "message", "note", "timestamp"]

    /// A JSON string for `text`, with characters escaped in one of several legal ways.
    static func encode(_ text: String, _ rng: inout SeededGenerator) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            let style = Int.random(in: 0 ..< 6, using: &rng)
            switch scalar {
            case "\"": out += style == 0 ? "\\u0022" : "\\\""
            case "\\": out += style == 0 ? "\\u005C" : "\\\\"
            case "\n": out += style == 0 ? "\\u000a" : "\\n"
            case "/": out += style == 0 ? "\\/" : style == 1 ? "\\u002f" : "/"
            default:
                if style == 0 && scalar.value < 0x10000 {
                    out += String(format: "\\u%04x", scalar.value)
                } else if style == 1 && scalar.value < 0x10000 {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func whitespace(_ rng: inout SeededGenerator) -> String {
        ["", "", "", " ", "  ", "\t", " \t "][Int.random(in: 0 ..< 7, using: &rng)]
    }

    static func randomLine(_ rng: inout SeededGenerator) -> String {
        var members: [(String, String)] = []
        for key in keys.shuffled(using: &rng) where Bool.random(using: &rng) {
            let value: String
            switch Int.random(in: 0 ..< 10, using: &rng) {
            case 0: value = "123"
            case 1: value = "null"
            case 2: value = "{\"subsystem\":\(encode(values.randomElement(using: &rng)!, &rng)),\"run_id\":\"run_1\"}"
            case 3: value = "[\(encode(values.randomElement(using: &rng)!, &rng)),true,false,-1.5e3]"
            case 4: value = encode("\"\(keys.randomElement(using: &rng)!)\":\"\(values.randomElement(using: &rng)!)\"", &rng)
            case 5 where key == "timestamp": value = "\"2025-11-09T18:3\(Int.random(in: 0 ... 5, using: &rng)):00.000000Z\""
            default: value = encode(values.randomElement(using: &rng)!, &rng)
            }
            members.append((key, value))
        }
        if Bool.random(using: &rng) { members.append(("scheme", encode(values.randomElement(using: &rng)!, &rng))) }
        var line = whitespace(&rng) + "{" + whitespace(&rng)
        line += members.map { key, value in
            encode(key, &rng) + whitespace(&rng) + ":" + whitespace(&rng) + value + whitespace(&rng)
        }.joined(separator: "," + whitespace(&rng))
        line += "}" + whitespace(&rng)
        switch Int.random(in: 0 ..< 12, using: &rng) {
        case 0: return String(line.prefix(Int.random(in: 0 ..< max(1, line.count - 2), using: &rng)))  // truncated
        case 1: return line.replacingOccurrences(of: ":", with: " ")  // broken
        case 2: return "[" + line + "]"  // valid JSON, not an object
        default: return line
        }
    }

    /// The reference: parse with JSONSerialization, compare top-level values.
    static func referenceMatches(_ line: String, _ filter: LogFilter) -> Bool? {
        guard let data = line.data(using: .utf8),
              let object = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any]
        else { return nil }
        func string(_ key: String) -> String? { object[key] as? String }
        let pairs: [(String, String?)] = [("subsystem", filter.subsystem), ("run_id", filter.runID), ("playbook_id", filter.playbookID),
                                          ("verification_id", filter.verificationID), ("request_id", filter.requestID)]
        for case let (key, expected?) in pairs where string(key) != expected { return false }
        if filter.minimumLevel != nil || filter.errorsOnly {
            guard let level = string("level"), let rank = LogLevelName.all.firstIndex(of: level) else { return false }
            if let minimum = filter.minimumLevel.flatMap(LogLevelName.rank), rank < minimum { return false }
            if filter.errorsOnly && rank < 5 { return false }
        }
        if let text = filter.text, !line.contains(text) { return false }
        return true
    }

    @Test(arguments: [1, 2, 3, 4])
    func randomLinesAgreeWithTheReference(seed: UInt64) throws {
        var rng = SeededGenerator(state: seed)
        let lines = (0 ..< 1000).map { _ in Self.randomLine(&rng) }.filter { !$0.contains("\n") }
        let path = try writeLog(lines, to: directory, name: "fuzz-\(seed).jsonl")
        let filters = [
            LogFilter(subsystem: "http"), LogFilter(subsystem: "caf\u{e9}"), LogFilter(subsystem: "a/b"),
            LogFilter(subsystem: "say \"hi\""), LogFilter(subsystem: "x\ny"), LogFilter(runID: "run_1"),
            LogFilter(playbookID: "run_2"), LogFilter(verificationID: "ERROR"), LogFilter(requestID: "ht"),
            LogFilter(errorsOnly: true), LogFilter(minimumLevel: "warning"), LogFilter(minimumLevel: "info"),
            LogFilter(subsystem: "http", runID: "run_1"), LogFilter(runID: "run_2", errorsOnly: true),
            LogFilter(text: "run_1"), LogFilter(subsystem: "store", text: "ERROR"), LogFilter(),
        ]
        var total = 0
        for filter in filters {
            let expected = lines.filter { Self.referenceMatches($0, filter) == true }
            total += expected.count
            let actual = try matching(filter, in: [path], chunkSize: 4096)
            #expect(actual.lines == expected, "filter \(filter)")
        }
        let malformed = lines.filter { !$0.allSatisfy(\.isWhitespace) && Self.referenceMatches($0, LogFilter()) == nil }.count
        #expect(try matching(LogFilter(), in: [path]).stats.malformed == malformed)
        // The generator exercises both sides: plenty of matches and of malformed lines.
        #expect(total > 1000 && malformed > 100, "\(total) matches, \(malformed) malformed")
    }
}
