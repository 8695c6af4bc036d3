import ArgumentParser
import Foundation
import GraceCore

/// `grace patterns mine [FILE|-] [--json] [--learn]`: groups messages (one per line) into templates.
struct PatternsMineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mine",
        abstract: "Group messages (one per line) into templates whose variable parts are <*>.",
        discussion: """
            Reads FILE, or standard input when FILE is - or absent. With --json prints one object per
            input line, in input order: {"line": N, "cluster": ID, "template": T}. Without it, a table
            of the clusters by count with an example line. With --learn the clusters are also added to
            the home's mined clusters (see grace patterns suggest).
            """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("Messages, one per line (- for standard input).", valueName: "file"))
    var file: String = "-"
    @Flag(help: "Print one JSON object per input line.") var json = false
    @Flag(help: "Store the clusters in the home's mined clusters.") var learn = false

    func run() async throws {
        let input = try MessageInput.readOrExit(file)
        var miner = TemplateMiner()
        var provisional: [Int] = []
        input.withUnsafeBytes { raw in
            MessageInput.forEachLine(raw.bindMemory(to: UInt8.self)) { provisional.append(miner.add(utf8: $0)) }
        }
        let result = miner.result()
        if learn { try await store(result, provisional, input) }
        if json {
            try printJSONLines(result, provisional)
        } else {
            printTable(result, lines: provisional.count)
        }
    }

    /// Adds the clusters, with up to five example lines each, to the home's `mined_clusters`.
    private func store(_ result: MiningResult, _ provisional: [Int], _ input: Data) async throws {
        var lines: [String] = []
        lines.reserveCapacity(provisional.count)
        input.withUnsafeBytes { raw in
            MessageInput.forEachLine(raw.bindMemory(to: UInt8.self)) { lines.append(String(decoding: $0, as: UTF8.self)) }
        }
        let source = file == "-" ? "mine" : "mine:" + URL(fileURLWithPath: file).lastPathComponent
        let records = MinedClusterRecord.records(from: result, provisional: provisional, lines: lines, source: source, runID: nil,
                                                 at: Timestamp.now())
        let runtime = try Runtime.start(options, label: "grace.patterns", console: false, home: .existing)
        let store = try await runtime.openStore()
        try await store.repositories.minedClusters.record(records)
        try await store.shutdown()
        FileHandle.standardError.write(Data("grace: stored \(records.count) clusters in \(store.location)\n".utf8))
    }

    private func printJSONLines(_ result: MiningResult, _ provisional: [Int]) throws {
        // The template's JSON text once per cluster; each line is then plain byte copies (a JSONEncoder
        // per line would cost more than mining it).
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let templates: [[UInt8]] = try result.clusters.map { Array(try encoder.encode($0.template)) }
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        let stdout = FileHandle.standardOutput
        let clusterIDs = result.clusters.map { Array(String($0.id).utf8) }
        var lineDigits = [UInt8](repeating: 0, count: 20)
        for (index, id) in provisional.enumerated() {
            let cluster = result.finalCluster[id]
            out.append(contentsOf: #"{"line":"#.utf8)
            // Decimal digits by hand: string interpolation per line cost more than the mining.
            var number = index + 1
            var digits = 0
            repeat {
                lineDigits[digits] = UInt8(ascii: "0") + UInt8(number % 10)
                number /= 10
                digits += 1
            } while number > 0
            for digit in lineDigits[0..<digits].reversed() { out.append(digit) }
            out.append(contentsOf: #","cluster":"#.utf8)
            out.append(contentsOf: clusterIDs[cluster - 1])
            out.append(contentsOf: #","template":"#.utf8)
            out.append(contentsOf: templates[cluster - 1])
            out.append(contentsOf: "}\n".utf8)
            if out.count >= 1 << 20 {
                stdout.write(Data(out))
                out.removeAll(keepingCapacity: true)
            }
        }
        stdout.write(Data(out))
    }

    private func printTable(_ result: MiningResult, lines: Int) {
        let clusters = result.clusters.sorted { ($0.count, -$0.id) > ($1.count, -$1.id) }
        print("\(lines) lines, \(clusters.count) clusters")
        for cluster in clusters {
            print("")
            print(String(format: "%6d  #%d  %@", cluster.count, cluster.id, cluster.template))
            print("        e.g. \(cluster.example)")
        }
    }
}

/// Reading messages, one per line, from a file or standard input.
enum MessageInput {
    struct ReadError: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "cannot read \(path): \(reason)" }
    }

    /// The bytes of `path`, or of standard input for `-`.
    static func read(_ path: String) throws -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw ReadError(path: path, reason: "no such file") }
        guard !isDirectory.boolValue else { throw ReadError(path: path, reason: "is a directory") }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReadError(path: path, reason: error.localizedDescription)
        }
    }

    /// ``read(_:)``, or the reason on standard error and exit 2.
    static func readOrExit(_ path: String) throws -> Data {
        do {
            return try read(path)
        } catch {
            printError("\(error)")
            throw GraceExit.configuration
        }
    }

    /// Calls `body` with each line of `bytes` (without its `\n` or `\r\n`); a final line without a
    /// newline counts, the empty remainder after a last newline does not.
    static func forEachLine(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 0
        var index = 0
        let count = bytes.count
        while index < count {
            if bytes[index] == UInt8(ascii: "\n") {
                var end = index
                if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                body(UnsafeBufferPointer(rebasing: bytes[start..<end]))
                start = index + 1
            }
            index += 1
        }
        if start < count { body(UnsafeBufferPointer(rebasing: bytes[start..<count])) }
    }
}
