import Foundation
import Logging
import Testing
@testable import GraceLog

/// A fresh folder per test, removed when the test's fixture goes away.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "grace-log-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A logger writing through a real ``LogFileSink`` into a temporary folder.
struct LogFixture {
    let directory: TemporaryDirectory
    let sink: LogFileSink
    let logger: Logger

    var path: String { sink.configuration.path }

    init(
        label: String = "grace.test",
        structured: Bool = true,
        maxBytes: Int = 50 << 20,
        maxFiles: Int = 5,
        secrets: [String] = [],
        level: Logger.Level = .trace
    ) throws {
        directory = try TemporaryDirectory()
        let configuration = LogFileConfiguration(
            path: directory.path + "/logs/grace.jsonl",
            structured: structured,
            maxBytes: maxBytes,
            maxFiles: maxFiles
        )
        let sink = try LogFileSink(configuration: configuration)
        let redactor = SecretRedactor(secrets: secrets)
        self.sink = sink
        logger = Logger(label: label) { label in
            GraceLogHandler(label: label, sink: sink, console: nil, redactor: redactor, level: level)
        }
    }

    /// The lines of `file` (the active log file by default), after flushing.
    func lines(of file: String? = nil) throws -> [String] {
        sink.flush()
        return try readLines(file ?? path)
    }

    /// Every line of the active file parsed as a JSON object; records an issue for any that is not.
    func objects() throws -> [[String: Any]] {
        try lines().map { try parseObject($0) }
    }
}

func readLines(_ file: String) throws -> [String] {
    let text = try String(contentsOfFile: file, encoding: .utf8)
    #expect(text.isEmpty || text.hasSuffix("\n"), "file must end with a complete line")
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

struct NotAnObject: Error, CustomStringConvertible {
    let line: String
    var description: String { "not a JSON object: \(line)" }
}

func parseObject(_ line: String) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
    guard let object = value as? [String: Any] else { throw NotAnObject(line: line) }
    return object
}
