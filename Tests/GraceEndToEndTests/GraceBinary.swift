import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Runs the built `grace` executable as a child process, with its own home in a temp folder.
struct GraceBinary {
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("grace")
    }

    let home: URL
    var environment: [String: String]

    /// A new home in the temp folder, or `home` when given (created when missing).
    init(home: URL? = nil) throws {
        self.home = home ?? FileManager.default.temporaryDirectory.appendingPathComponent("grace-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.home, withIntermediateDirectories: true)
        environment = ["GRACE_HOME": self.home.path, "PATH": "/usr/bin:/bin", "GRACE_PORT": "0"]
    }

    /// Where `RunningGrace` writes the server's standard output and error: beside the home, not in it.
    var serverOutput: URL { home.deletingLastPathComponent().appendingPathComponent(home.lastPathComponent + ".out") }

    func remove() {
        try? FileManager.default.removeItem(at: home)
        try? FileManager.default.removeItem(at: serverOutput)
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `grace arguments...` to completion (cwd: the home folder, so no stray ./.env is read).
    func run(_ arguments: [String], extraEnvironment: [String: String] = [:]) throws -> Result {
        let process = makeProcess(arguments, extraEnvironment: extraEnvironment)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Runs the sqlite3 CLI on `databases/grace.db` (or another file under the home); returns its output.
    @discardableResult
    func sqlite(_ sql: String, database: String = "databases/grace.db") throws -> String {
        try Self.runTool("/usr/bin/sqlite3", [home.appendingPathComponent(database).path, sql]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs another program to its end; its standard output and error together.
    static func runTool(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func makeProcess(_ arguments: [String], extraEnvironment: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = environment.merging(extraEnvironment) { $1 }
        process.currentDirectoryURL = home
        return process
    }
}

/// A `grace up` child process, stopped with SIGTERM by `stop()` (or SIGKILL by `kill()`).
final class RunningGrace: @unchecked Sendable {
    let process: Process
    let port: Int
    private let outputFile: URL

    /// Starts `grace up` and polls `grace.pid` for the port it listens on. Its output goes to a file
    /// (a pipe nobody drains would block a busy server once it fills).
    init(_ binary: GraceBinary, arguments: [String] = ["up"], extraEnvironment: [String: String] = [:], timeout: TimeInterval = 60) throws {
        process = binary.makeProcess(arguments, extraEnvironment: extraEnvironment)
        outputFile = binary.serverOutput
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputFile)
        output.seekToEndOfFile()
        defer { try? output.close() }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let pidFile = binary.home.appendingPathComponent("grace.pid").path
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && process.isRunning {
            // The file must be this process's: a crashed server leaves its own behind, with its old port.
            if let text = FileManager.default.contents(atPath: pidFile).map({ String(decoding: $0, as: UTF8.self) }),
               text.split(separator: "\n").first == "\(process.processIdentifier)"[...],
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix("port=") }), let port = Int(line.dropFirst(5)) {
                self.port = port
                return
            }
            usleep(20_000)
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let printed = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        throw NSError(domain: "grace-e2e", code: 1, userInfo: [NSLocalizedDescriptionKey: "grace up did not report a port: \(printed)"])
    }

    /// What the server printed to standard output and error (every start on this home, appended).
    func printedOutput() -> String {
        (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
    }

    func get(_ path: String) async throws -> (Int, Data) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return ((response as! HTTPURLResponse).statusCode, data)
    }

    /// SIGKILL: the process gets no chance to clean up, as in a crash or an OOM kill.
    func kill() {
        if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// SIGTERM, then wait for a graceful exit; returns the exit status.
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
