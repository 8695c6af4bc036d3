import Foundation
import GraceCore

/// PostgreSQL's own tools, for backups of a PostgreSQL store: `pg_dump` (custom format) to take
/// one, `pg_restore` to check and restore it. They are found on `PATH`; when one is missing the
/// error names it and the package that has it. Connection details go through the `PG*`
/// environment variables, so the password never appears on a command line.
public struct PostgresDump: Sendable {
    public let url: DatabaseURL

    public init(url: DatabaseURL) { self.url = url }

    public struct ToolError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Dumps the whole database (schema and rows) into `file`.
    public func dump(to file: String) throws {
        try Self.run("pg_dump", ["--format=custom", "--no-owner", "--file", file], environment: connection)
    }

    /// Replaces the database's tables with the dump's, in one transaction.
    public func restore(from file: String) throws {
        try Self.run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
                                    "--dbname", url.database, file], environment: connection)
    }

    /// Reads the dump's table of contents: fails unless it is a readable `pg_dump` archive.
    static func checkArchive(_ file: String) throws {
        try run("pg_restore", ["--list", file], environment: [:])
    }

    private var connection: [String: String] {
        var environment = ["PGHOST": url.host, "PGPORT": String(url.port), "PGUSER": url.user, "PGDATABASE": url.database,
                           "PGSSLMODE": url.tls.rawValue]
        if let password = url.password { environment["PGPASSWORD"] = password }
        return environment
    }

    /// The first executable `name` on `PATH`.
    static func locate(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func run(_ name: String, _ arguments: [String], environment: [String: String]) throws {
        guard let executable = locate(name) else {
            throw ToolError(description: "\(name) is not on PATH: backups of a PostgreSQL store need PostgreSQL's client tools "
                                         + "(pg_dump and pg_restore; Debian/Ubuntu: apt-get install postgresql-client)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ToolError(description: "cannot run \(executable): \(error.localizedDescription)")
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ToolError(description: "\(name) failed (exit \(process.terminationStatus)): \(text.isEmpty ? "no message" : text)")
        }
    }
}
