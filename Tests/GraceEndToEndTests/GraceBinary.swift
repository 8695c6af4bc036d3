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

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("grace-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        environment = ["GRACE_HOME": home.path, "PATH": "/usr/bin:/bin", "GRACE_PORT": "0"]
    }

    func remove() { try? FileManager.default.removeItem(at: home) }

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

    func makeProcess(_ arguments: [String], extraEnvironment: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = environment.merging(extraEnvironment) { $1 }
        process.currentDirectoryURL = home
        return process
    }
}

/// A `grace up` child process, stopped with SIGTERM by `stop()`.
final class RunningGrace: @unchecked Sendable {
    let process: Process
    let port: Int
    private let output: Pipe

    /// Starts `grace up` and polls `grace.pid` for the port it listens on (never blocks on a pipe).
    init(_ binary: GraceBinary, arguments: [String] = ["up"], timeout: TimeInterval = 60) throws {
        process = binary.makeProcess(arguments)
        output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let pidFile = binary.home.appendingPathComponent("grace.pid").path
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && process.isRunning {
            if let text = FileManager.default.contents(atPath: pidFile).map({ String(decoding: $0, as: UTF8.self) }),
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix("port=") }), let port = Int(line.dropFirst(5)) {
                self.port = port
                return
            }
            usleep(20_000)
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        throw NSError(domain: "grace-e2e", code: 1, userInfo: [NSLocalizedDescriptionKey: "grace up did not report a port: \(printed)"])
    }

    /// What the server printed to standard output (read after it stopped).
    func printedOutput() -> String {
        String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    func get(_ path: String) async throws -> (Int, Data) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return ((response as! HTTPURLResponse).statusCode, data)
    }

    /// SIGTERM, then wait for a graceful exit; returns the exit status.
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
