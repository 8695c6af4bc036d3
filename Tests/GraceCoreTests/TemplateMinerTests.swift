import Foundation
import GraceCore
import Testing

/// The template miner on real loghub 2k samples (Tests/Corpus/loghub-2k) and on small cases.
@Suite struct TemplateMinerTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus/loghub-2k")

    /// The `Content` and `EventId` columns of a loghub `_structured.csv` file.
    static func load(_ dataset: String) throws -> (messages: [String], events: [String]) {
        let url = corpus.appendingPathComponent("\(dataset)/\(dataset)_2k.log_structured.csv")
        let rows = CSVRows.parse(try String(contentsOf: url, encoding: .utf8))
        let header = try #require(rows.first)
        let content = try #require(header.firstIndex(of: "Content"))
        let event = try #require(header.firstIndex(of: "EventId"))
        let body = rows.dropFirst().filter { $0.count == header.count }
        return (body.map { $0[content] }, body.map { $0[event] })
    }

    /// Grouping accuracy: the share of lines whose predicted cluster holds exactly the lines that
    /// share their ground-truth event.
    static func groupingAccuracy(predicted: [Int], truth: [String]) -> Double {
        var byCluster: [Int: Set<Int>] = [:]
        var byEvent: [String: Set<Int>] = [:]
        for (line, cluster) in predicted.enumerated() {
            byCluster[cluster, default: []].insert(line)
            byEvent[truth[line], default: []].insert(line)
        }
        var correct = 0
        for members in byCluster.values {
            let event = truth[members.first!]
            if byEvent[event] == members { correct += members.count }
        }
        return Double(correct) / Double(predicted.count)
    }

    @Test(arguments: [("HDFS", 0.99), ("OpenStack", 0.95), ("Proxifier", 0.95), ("Mac", 0.90)])
    func groupingAccuracyOnLoghub(dataset: String, floor: Double) throws {
        let (messages, events) = try Self.load(dataset)
        #expect(messages.count == 2000)
        let (_, assignments) = TemplateMiner.mine(messages)
        let accuracy = Self.groupingAccuracy(predicted: assignments, truth: events)
        #expect(accuracy >= floor, "\(dataset): grouping accuracy \(accuracy) below \(floor)")
    }

    @Test func variablePartsBecomeWildcards() {
        let (result, assignments) = TemplateMiner.mine([
            "PacketResponder 1 for block blk_38865049064139660 terminating",
            "PacketResponder 0 for block blk_-6952295868487656571 terminating",
            "Connection from 10.0.0.12:5432 refused after 30 ms",
            "Connection from db.internal.example.com:5432 refused after 2 s",
            "Verification succeeded for blk_123",
        ])
        #expect(assignments == [1, 1, 2, 2, 3])
        #expect(result.clusters[0].template == "PacketResponder <*> for block <*> terminating")
        #expect(result.clusters[0].count == 2)
        #expect(result.clusters[1].template == "Connection from <*> refused after <*>")
        #expect(result.clusters[2].example == "Verification succeeded for blk_123")
    }

    @Test func differingWordsStaySeparateEvents() {
        let (_, assignments) = TemplateMiner.mine([
            "Ending TrustedInstaller initialization.",
            "Ending TrustedInstaller finalization.",
            "Ending TrustedInstaller initialization.",
        ])
        #expect(assignments == [1, 2, 1])
    }

    @Test func masksUUIDsPathsQuotedValuesAndHex() {
        let tokens = MessageTokenizer.tokenize(
            "instance 70c1714b-c11b-4c88-b300-239afe1f5ff8 read /var/lib/nova/disk state 'Active' at 0x00e462c0").tokens
        #expect(tokens.map { $0.text ?? "<*>" } == ["instance", "<*>", "read", "<*>", "state", "<*>", "at", "<*>"])
    }

    @Test func variableSpansOfDifferentLengthMerge() {
        let (result, assignments) = TemplateMiner.mine([
            "close, 0 bytes sent, 0 bytes received, lifetime 00:01",
            "close, 1190 bytes (1.16 KB) sent, 1671 bytes (1.63 KB) received, lifetime <1 sec",
        ])
        #expect(assignments == [1, 1])
        #expect(result.clusters.count == 1)
    }
}

/// RFC 4180 rows: fields split at commas, double-quoted fields may hold commas, newlines and `""`.
enum CSVRows {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"": quoted = true
            case ",": row.append(field); field = ""
            case "\n":
                row.append(field); field = ""
                rows.append(row); row = []
            case "\r": break
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
