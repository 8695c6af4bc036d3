import Foundation
import GRDB
import GraceCore
import GraceLog
import GraceStore
import Logging
import Testing
@testable import GraceBoot

/// A Grace home plus a "service" folder with its own env file and database, for healing tests.
final class HealingFixture {
    let root: URL
    let layout: GraceHomeLayout
    let store: SQLiteStore
    let serviceDatabase: String
    let migrations: String
    let envFile: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("grace-heal-\(UUID().uuidString)")
        layout = GraceHomeLayout(root: root.path)
        try GraceHome.prepare(layout)
        store = try SQLiteStore(layout: layout)
        let service = root.appendingPathComponent("service")
        try FileManager.default.createDirectory(at: service.appendingPathComponent("migrations"), withIntermediateDirectories: true)
        serviceDatabase = service.appendingPathComponent("app.db").path
        migrations = service.appendingPathComponent("migrations").path
        envFile = service.appendingPathComponent(".env").path
        try Data("APP_NAME=demo\n".utf8).write(to: URL(fileURLWithPath: envFile))
        // The original system's verification_events, before `passed` existed.
        let queue = try DatabaseQueue(path: serviceDatabase)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE verification_events (id INTEGER PRIMARY KEY, verification_type TEXT, result TEXT)")
        }
        try queue.close()
        try Data("ALTER TABLE verification_events ADD COLUMN passed BOOLEAN NOT NULL DEFAULT 0;\n".utf8)
            .write(to: URL(fileURLWithPath: migrations + "/001_add_passed.sql"))
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(at: root)
    }

    var environment: HealingEnvironment {
        HealingEnvironment(envFile: envFile, databases: [serviceDatabase], sqlMigrations: (migrations, serviceDatabase),
                           envDefaults: ["SERVICE_API_KEY": "dev-default-key"])
    }

    func healer(observeOnly: Bool = false, execute: Bool = true, maxTier: AutonomyTier = .tier2,
                knowledgeBase: KnowledgeBase? = nil, playbooks: [Playbook]? = nil) throws -> SelfHealer {
        SelfHealer(knowledgeBase: try knowledgeBase ?? BuiltInKnowledgeBase.load(), playbooks: try playbooks ?? BuiltInPlaybooks.load(),
                   policy: GovernancePolicy(observeOnly: observeOnly, executeEnabled: execute, maxUnattendedTier: maxTier),
                   environment: environment, repositories: store.repositories, knowledgeFile: nil,
                   logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    func match(_ line: String) throws -> SignatureMatch {
        try #require(try SignatureMatcher(patterns: BuiltInKnowledgeBase.load().patterns).matches(in: line).first)
    }
}

@Suite struct SelfHealerTests {
    @Test func observeOnlyRecordsWithoutChangingAnything() async throws {
        let fixture = try HealingFixture()
        let envBefore = try Data(contentsOf: URL(fileURLWithPath: fixture.envFile))
        let databaseBefore = try Data(contentsOf: URL(fileURLWithPath: fixture.serviceDatabase))
        let healer = try fixture.healer(observeOnly: true)
        for line in ["sqlite3.OperationalError: table verification_events has no column named passed",
                     "KeyError: 'SERVICE_API_KEY'", "sqlite3.OperationalError: database is locked"] {
            let outcome = await healer.handle(try fixture.match(line), runID: nil)
            #expect(outcome.decision == .observe && !outcome.attempt.succeeded)
            #expect(outcome.attempt.detail.contains("would run"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.envFile)) == envBefore)
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.serviceDatabase)) == databaseBefore)
        let runs = try await fixture.store.repositories.playbooks.runs(since: nil, limit: 10)
        #expect(runs.count == 3 && runs.allSatisfy { $0.status == .observed })
        #expect(try await fixture.store.repositories.playbooks.stats().isEmpty)
        let audit = try await fixture.store.repositories.audit.tail(limit: 10)
        #expect(audit.filter { $0.action == "playbook.observe" }.count == 3)
        #expect(audit.allSatisfy { $0.payload.contains("\"playbook_id\"") })
    }

    @Test func aMissingColumnIsMigratedAndVerified() async throws {
        let fixture = try HealingFixture()
        let healer = try fixture.healer()
        let outcome = await healer.handle(try fixture.match("sqlite3.OperationalError: table verification_events has no column named passed"),
                                          runID: nil)
        #expect(outcome.decision == .execute)
        #expect(outcome.attempt.succeeded, "\(outcome.attempt.detail)")
        #expect(outcome.attempt.detail.contains("applied 001_add_passed.sql"))
        #expect(outcome.verification?.passed == true)
        #expect(try SQLiteMaintenance.columnExists(fixture.serviceDatabase, table: "verification_events", column: "passed"))
        let events = try await fixture.store.repositories.verifications.recent(limit: 5)
        #expect(events.first?.passed == true && events.first?.playbookID == "apply_pending_migrations")
        #expect(try await fixture.store.repositories.playbooks.stats().map { [$0.attempts, $0.successes] } == [[1, 1]])
        // Running again is idempotent: nothing left to apply, still verified.
        let again = await healer.handle(try fixture.match("no such column: passed"), runID: nil)
        #expect(again.attempt.succeeded && again.attempt.detail.contains("no pending migrations"))
    }

    @Test func aLockedDatabaseIsWaitedOut() async throws {
        let fixture = try HealingFixture()
        let holder = try DatabaseQueue(path: fixture.serviceDatabase)
        let (held, signal) = AsyncStream<Void>.makeStream()
        let release = DispatchSemaphore(value: 0)
        // Another writer holds the write lock until the test lets it go, while the healer is waiting.
        let locker = Task.detached {
            try holder.inDatabase { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                signal.yield()
                release.wait()
                try db.execute(sql: "COMMIT")
            }
        }
        var iterator = held.makeAsyncIterator()
        _ = await iterator.next()
        #expect(!SQLiteMaintenance.canTakeWriteLock(fixture.serviceDatabase, timeout: 0.05))
        let healing = Task { try await fixture.healer().handle(try fixture.match("sqlite3.OperationalError: database is locked"), runID: nil) }
        try await Task.sleep(for: .milliseconds(300))
        release.signal()
        let outcome = try await healing.value
        try await locker.value
        #expect(outcome.attempt.succeeded, "\(outcome.attempt.detail)")
        #expect(outcome.verification?.passed == true)
        #expect(outcome.attempt.detail.contains("journal_mode=wal"))
        try holder.close()
    }

    @Test func aMissingSecretIsNamedAndFilledFromItsDefault() async throws {
        let fixture = try HealingFixture()
        let healer = try fixture.healer()
        let filled = await healer.handle(try fixture.match("Error: Missing required environment variable: SERVICE_API_KEY"), runID: nil)
        #expect(filled.attempt.succeeded, "\(filled.attempt.detail)")
        #expect(filled.attempt.detail.contains("wrote SERVICE_API_KEY"))
        #expect(!filled.attempt.detail.contains("dev-default-key"))  // the value is a secret: never reported
        let env = try String(contentsOfFile: fixture.envFile, encoding: .utf8)
        #expect(env.contains("APP_NAME=demo") && env.contains("SERVICE_API_KEY=\"dev-default-key\""))

        let missing = await healer.handle(try fixture.match("KeyError: 'PAYMENTS_TOKEN'"), runID: nil)
        #expect(!missing.attempt.succeeded)
        #expect(missing.attempt.detail.contains("PAYMENTS_TOKEN is not set and no default is configured"))
        #expect(missing.verification?.passed == false)
    }

    @Test func aHighRiskPlaybookWaitsForApprovalAndRunsOnceApproved() async throws {
        let fixture = try HealingFixture()
        var knowledge = try BuiltInKnowledgeBase.load()
        let index = try #require(knowledge.patterns.firstIndex { $0.id == "missing_env_secrets" })
        knowledge.patterns[index].playbookID = "careful_env_fix"
        let careful = Playbook(id: "careful_env_fix", title: "Write the default, carefully", riskLevel: .high, autonomyTier: .tier3,
                               steps: [PlaybookStep(action: .setEnvDefault)], source: "/etc/grace/playbooks/careful.json")
        let healer = try fixture.healer(knowledgeBase: knowledge, playbooks: try BuiltInPlaybooks.load() + [careful])
        let match = try fixture.match("SERVICE_API_KEY is not set")

        let waiting = await healer.handle(match, runID: nil)
        #expect(waiting.decision == .awaitApproval)
        let approvalID = try #require(waiting.approvalID)
        #expect(!(try String(contentsOfFile: fixture.envFile, encoding: .utf8)).contains("SERVICE_API_KEY"))
        let approvals = fixture.store.repositories.approvals
        #expect(try await approvals.approvals(status: .pending, limit: 10).map(\.eventID) == [approvalID])

        _ = try await approvals.decide(id: approvalID, approve: true, by: "ops", reason: "looks right")
        let stored = try #require(try await approvals.approval(id: approvalID))
        let restored = try #require(SelfHealer.match(fromApprovalDetails: stored.details))
        #expect(restored == match)
        #expect(try await approvals.markExecuted(id: approvalID))
        let ran = await healer.handle(restored, runID: nil, approvedID: approvalID)
        #expect(ran.decision == .execute && ran.attempt.succeeded, "\(ran.attempt.detail)")
        #expect((try String(contentsOfFile: fixture.envFile, encoding: .utf8)).contains("SERVICE_API_KEY"))
        #expect(try await approvals.markExecuted(id: approvalID) == false)  // exactly once
    }

    @Test func shellStepsRunOnlyFromPlaybookFilesOnDisk() async throws {
        let fixture = try HealingFixture()
        let request = HealingRequest(
            pattern: try #require(try BuiltInKnowledgeBase.load().pattern("database_locked")),
            match: try fixture.match("database is locked"),
            playbook: Playbook(id: "sneaky", title: "", riskLevel: .low, autonomyTier: .tier1, steps: [], source: "api"),
            runID: nil, environment: fixture.environment)
        let step = PlaybookStep(action: .shell, parameters: ["command": .string("touch \(fixture.root.path)/pwned")])
        await #expect(throws: (any Error).self) { try await ShellCommand().perform(step, for: request) }
        #expect(!FileManager.default.fileExists(atPath: fixture.root.path + "/pwned"))
    }
}
