import Foundation
import Testing
@testable import GraceBoot
import GraceCore

/// A home's boot records as training examples: only stages whose fix was verified count.
@Suite struct ConfirmedIncidentsTests {
    struct Record: Encodable { var stages: [StageOutcome] }

    @Test func onlyVerifiedFixesLabelTheirStagesFindings() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grace-incidents-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let layout = GraceHomeLayout(root: root)
        try FileManager.default.createDirectory(atPath: layout.trainingDirectory, withIntermediateDirectories: true)
        let fixed = StageOutcome(name: "database_integrity", critical: true, status: .passed,
                                 findings: [Finding(message: "sqlite3.OperationalError: database is locked", evidence: "File app.py, line 3")],
                                 healing: [HealingAttempt(playbookID: "retry_with_backoff", patternID: "database_locked", decision: "execute",
                                                          succeeded: true, detail: "verified")], durationMS: 1)
        let failedFix = StageOutcome(name: "environment", critical: false, status: .failed,
                                     findings: [Finding(message: "KeyError: 'API_KEY'")],
                                     healing: [HealingAttempt(playbookID: "fill_env", patternID: "missing_env_secrets", decision: "execute",
                                                              succeeded: false, detail: "no default")], durationMS: 1)
        let data = try JSONEncoder().encode(Record(stages: [fixed, failedFix]))
        try data.write(to: URL(fileURLWithPath: layout.trainingDirectory + "/boot_20261202_010203.json"))
        try Data("not json".utf8).write(to: URL(fileURLWithPath: layout.trainingDirectory + "/boot_20261202_010204.json"))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: layout.trainingDirectory + "/_metadata.json"))  // not a boot record

        let found = ConfirmedIncidents.examples(in: layout)
        #expect(found.examples.count == 1)
        #expect(found.examples.first?.labels == ["database_locked"])
        #expect(found.examples.first?.text == "sqlite3.OperationalError: database is locked\nFile app.py, line 3")
        #expect(found.unreadable == [layout.trainingDirectory + "/boot_20261202_010204.json"])
    }
}
