import Foundation
import GraceCore
import GraceStore

/// Checks, after a fix, that the failure's cause is gone (the pattern's `verification.method`).
struct Verifier {
    struct Outcome {
        var passed: Bool
        var result: String
    }

    func verify(_ request: HealingRequest) -> Outcome {
        let environment = request.environment
        switch request.pattern.verification.method {
        case "column_exists":
            guard let column = request.match.captures["column"] else {
                return Outcome(passed: false, result: "the match named no column to check")
            }
            let table = request.match.captures["table"] ?? request.match.captures["relation"]
            let databases = environment.sqlMigrations.map { [$0.database] } ?? environment.databases
            for database in databases where FileManager.default.fileExists(atPath: database) {
                if (try? SQLiteMaintenance.columnExists(database, table: table, column: column)) == true {
                    return Outcome(passed: true, result: "column \(table.map { $0 + "." } ?? "")\(column) exists in \(URL(fileURLWithPath: database).lastPathComponent)")
                }
            }
            return Outcome(passed: false, result: "column \(table.map { $0 + "." } ?? "")\(column) is still missing")
        case "database_writable":
            let locked = environment.databases.filter { FileManager.default.fileExists(atPath: $0) && !SQLiteMaintenance.canTakeWriteLock($0, timeout: 2) }
            return locked.isEmpty ? Outcome(passed: true, result: "every database accepts a write transaction")
                : Outcome(passed: false, result: "still locked: " + locked.joined(separator: ", "))
        case "env_present":
            guard let variable = request.match.captures["variable"] else { return Outcome(passed: false, result: "the match named no variable") }
            let value = EnvFile.value(of: variable, in: environment.envFile) ?? ProcessInfo.processInfo.environment[variable]
            return (value ?? "").isEmpty ? Outcome(passed: false, result: "\(variable) is still not set")
                : Outcome(passed: true, result: "\(variable) is set")
        case "utf8_environment":
            let value = EnvFile.value(of: "PYTHONIOENCODING", in: environment.envFile)?.lowercased().replacingOccurrences(of: "-", with: "")
            return value == "utf8" ? Outcome(passed: true, result: "PYTHONIOENCODING=utf-8 and a UTF-8 locale are set")
                : Outcome(passed: false, result: "PYTHONIOENCODING is not utf-8 in \(environment.envFile)")
        default:
            return Outcome(passed: false, result: "needs manual verification: \(request.pattern.verification.description ?? "check the service")")
        }
    }
}
