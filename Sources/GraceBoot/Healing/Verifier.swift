import Foundation
import GraceCore
import GraceStore

/// Checks, after a fix, that the failure's cause is gone (the pattern's `verification.method`).
///
/// A check never passes by construction: a column check needs the table the failure named, and
/// environment checks read the environment a process started now would get, not the file line
/// the fix just wrote. A service's fix is verified again, once it runs healthy without the
/// failure recurring (``SelfHealer/verifyRecovery``).
struct Verifier {
    struct Outcome {
        var passed: Bool
        var result: String
        /// The check could not decide either way (it fails unless a recovery verification follows).
        var inconclusive = false
        /// Only a person can check it: the fix waits for their confirmation.
        var awaitsConfirmation = false
    }

    func verify(_ request: HealingRequest) -> Outcome {
        let environment = request.environment
        switch request.pattern.verification.method {
        case "column_exists":
            guard let column = request.match.captures["column"] else {
                return Outcome(passed: false, result: "the match named no column to check")
            }
            // Without its table, "some table has this column" would pass on any database that
            // happens to have one (Grace's own `playbooks` has `risk_level`): cannot verify.
            guard let table = request.match.captures["table"] ?? request.match.captures["relation"] else {
                return Outcome(passed: false, result: "cannot verify: the failure named column \(column) but no table", inconclusive: true)
            }
            let databases = environment.sqlMigrations.map { [$0.database] } ?? environment.databases
            var problems: [String] = []
            for database in databases where FileManager.default.fileExists(atPath: database) {
                do {
                    if try SQLiteMaintenance.columnExists(database, table: table, column: column) {
                        return Outcome(passed: true, result: "column \(table).\(column) exists in \(URL(fileURLWithPath: database).lastPathComponent)")
                    }
                } catch {
                    problems.append("\(URL(fileURLWithPath: database).lastPathComponent): \(error)")
                }
            }
            return Outcome(passed: false, result: "column \(table).\(column) is still missing" + (problems.isEmpty ? "" : " (" + problems.joined(separator: "; ") + ")"))
        case "database_integrity":
            let files = environment.databases.filter { FileManager.default.fileExists(atPath: $0) }
            let bad = files.filter { !DatabaseInspection.isHealthyCopy(of: URL(fileURLWithPath: $0).lastPathComponent, at: $0) }
            if files.isEmpty { return Outcome(passed: false, result: "cannot verify: no database file is there to check") }
            return bad.isEmpty ? Outcome(passed: true, result: "every database opens and passes its integrity check")
                : Outcome(passed: false, result: "still damaged: " + bad.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", "))
        case "database_writable":
            let locked = environment.databases.filter { FileManager.default.fileExists(atPath: $0) && !SQLiteMaintenance.canTakeWriteLock($0, timeout: 2) }
            return locked.isEmpty ? Outcome(passed: true, result: "every database accepts a write transaction")
                : Outcome(passed: false, result: "still locked: " + locked.joined(separator: ", "))
        case "env_present":
            guard let variable = request.match.captures["variable"] else { return Outcome(passed: false, result: "the match named no variable") }
            let value = environment.effectiveEnvironment()[variable]
            return (value ?? "").isEmpty ? Outcome(passed: false, result: "\(variable) is still not set in the environment a start would get")
                : Outcome(passed: true, result: "\(variable) is set in the environment a start would get")
        case "utf8_environment":
            let effective = environment.effectiveEnvironment()
            let encoding = effective["PYTHONIOENCODING"]?.lowercased().replacingOccurrences(of: "-", with: "")
            let locale = LocaleEnvironment.isUTF8(effective)
            return encoding?.hasPrefix("utf8") == true && locale
                ? Outcome(passed: true, result: "a start would get PYTHONIOENCODING=\(effective["PYTHONIOENCODING"] ?? "") and a UTF-8 locale")
                : Outcome(passed: false, result: "a start would get " + (locale ? "" : "a locale that is not UTF-8 (\(LocaleEnvironment.current(effective))) and ")
                    + "PYTHONIOENCODING=\(effective["PYTHONIOENCODING"] ?? "(unset)")")
        case "manual":
            return Outcome(passed: false, result: "a person must check that \(request.pattern.verification.description ?? "the failure is gone").",
                           awaitsConfirmation: true)
        default:
            return Outcome(passed: false, result: "cannot verify: unknown verification method \(request.pattern.verification.method)")
        }
    }
}
