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
                knowledgeBase: KnowledgeBase? = nil, playbooks: [Playbook]? = nil, breaker: FixBreaker = FixBreaker(),
                environment: HealingEnvironment? = nil) throws -> SelfHealer {
        SelfHealer(knowledgeBase: try knowledgeBase ?? BuiltInKnowledgeBase.load(), playbooks: try playbooks ?? BuiltInPlaybooks.load(),
                   policy: GovernancePolicy(observeOnly: observeOnly, executeEnabled: execute, maxUnattendedTier: maxTier, breaker: breaker),
                   environment: environment ?? self.environment, repositories: store.repositories, knowledgeFile: nil,
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
        // A failure that names no table cannot be verified: "some table has this column" would pass
        // by construction (Grace's own `playbooks` table has `risk_level`), so it fails, saying so.
        let again = await healer.handle(try fixture.match("no such column: passed"), runID: nil)
        #expect(again.attempt.detail.contains("no pending migrations"), "\(again.attempt.detail)")
        #expect(!again.attempt.succeeded && again.verification?.passed == false)
        #expect(again.verification?.result.contains("cannot verify") == true, "\(again.verification?.result ?? "")")
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

/// The circuit breaker and the verified outcome, through the real healer, actions and SQLite store.
@Suite struct HealingBoundsTests {
    /// The supervised service's environment, with defaults for four variables it may miss.
    private func serviceEnvironment(_ fixture: HealingFixture) -> HealingEnvironment {
        var environment = fixture.environment
        environment.scope = "target"
        environment.envDefaults = ["API_KEY_1": "one", "API_KEY_2": "two", "API_KEY_3": "three", "API_KEY_4": "four"]
        return environment
    }

    @Test func theBreakerOpensAfterTheBudgetAndAsksOnceForTheFailure() async throws {
        let fixture = try HealingFixture()
        let healer = try fixture.healer(breaker: FixBreaker(limit: 2), environment: serviceEnvironment(fixture))
        // Each line captures another variable: the failure key is still the pattern and the target.
        var outcomes: [SelfHealer.Outcome] = []
        for key in ["API_KEY_1", "API_KEY_2", "API_KEY_3", "API_KEY_4"] {
            outcomes.append(await healer.handle(try fixture.match("KeyError: '\(key)'"), runID: nil))
        }
        #expect(outcomes.map(\.decision) == [.execute, .execute, .awaitApproval, .awaitApproval])
        #expect(outcomes.map(\.breakerOpen) == [false, false, true, true])
        #expect(outcomes[2].attempt.detail.hasPrefix("circuit breaker open: 2 unattended create_default_env fixes for missing_env_secrets"))
        let env = try String(contentsOfFile: fixture.envFile, encoding: .utf8)
        #expect(env.contains("API_KEY_1") && env.contains("API_KEY_2") && !env.contains("API_KEY_3"), "\(env)")

        let approvals = try await fixture.store.repositories.approvals.approvals(status: .pending, limit: 10)
        #expect(approvals.count == 1, "one approval for the failure, not one per match")
        #expect(outcomes[2].approvalID == approvals.first?.eventID && outcomes[3].approvalID == approvals.first?.eventID)
        #expect(approvals.first?.details?["breaker"]?.stringValue?.contains("circuit breaker open") == true)
        #expect(outcomes[3].attempt.detail.contains("already waiting for approval \(approvals[0].eventID) (missing_env_secrets@target)"))

        let audit = try await fixture.store.repositories.audit.tail(limit: 20).filter { $0.action == "playbook.await_approval" }
        #expect(audit.count == 2)
        #expect(audit.allSatisfy { $0.payload.contains("\"breaker\":\"open\"") && $0.payload.contains("circuit breaker open") })
    }

    @Test func theCountComesFromTheStoreSoItSurvivesARestart() async throws {
        let fixture = try HealingFixture()
        let environment = serviceEnvironment(fixture)
        for key in ["API_KEY_1", "API_KEY_2"] {
            let first = try fixture.healer(breaker: FixBreaker(limit: 2), environment: environment)
            #expect(await first.handle(try fixture.match("KeyError: '\(key)'"), runID: nil).decision == .execute)
        }
        // A new healer, as after a restart of Grace: nothing in memory, the same store.
        let restarted = try fixture.healer(breaker: FixBreaker(limit: 2), environment: environment)
        #expect(try await restarted.breakerState(patternID: "missing_env_secrets", playbookID: "create_default_env").isOpen)
        #expect(await restarted.handle(try fixture.match("KeyError: 'API_KEY_3'"), runID: nil).decision == .awaitApproval)
        // A higher budget lets it run again.
        let generous = try fixture.healer(breaker: FixBreaker(limit: 3), environment: environment)
        #expect(await generous.handle(try fixture.match("KeyError: 'API_KEY_3'"), runID: nil).decision == .execute)
    }

    @Test func approvedFixesAreNotCountedAgainstTheBudget() async throws {
        let fixture = try HealingFixture()
        let healer = try fixture.healer(breaker: FixBreaker(limit: 1), environment: serviceEnvironment(fixture))
        #expect(await healer.handle(try fixture.match("KeyError: 'API_KEY_1'"), runID: nil).decision == .execute)
        let waiting = await healer.handle(try fixture.match("KeyError: 'API_KEY_2'"), runID: nil)
        let approvalID = try #require(waiting.approvalID)
        let approvals = fixture.store.repositories.approvals
        _ = try await approvals.decide(id: approvalID, approve: true, by: "ops", reason: nil)
        #expect(try await approvals.markExecuted(id: approvalID))
        let stored = try #require(try await approvals.approval(id: approvalID))
        let match = try #require(SelfHealer.match(fromApprovalDetails: stored.details))
        let ran = await healer.handle(match, runID: nil, approvedID: approvalID)
        #expect(ran.decision == .execute && ran.attempt.succeeded, "\(ran.attempt.detail)")
        let executions = try await fixture.store.repositories.playbooks.executions(
            playbookID: "create_default_env", patternID: "missing_env_secrets", since: "")
        #expect(executions.count == 2)
        #expect(try await healer.breakerState(patternID: "missing_env_secrets", playbookID: "create_default_env").used == 1,
                "the approved run is not an unattended fix")
    }

    @Test func aFixWhoseRecoveryFailsCountsAsAFailedAttempt() async throws {
        let fixture = try HealingFixture()
        let healer = try fixture.healer(environment: serviceEnvironment(fixture))
        let outcome = await healer.handle(try fixture.match("KeyError: 'API_KEY_1'"), runID: nil, verifiesRecovery: true)
        // The actions ran and the post-fix check passed: the fix is applied, not yet counted.
        #expect(outcome.attempt.succeeded && outcome.verification?.passed == true)
        let applied = try #require(outcome.applied)
        let playbooks = fixture.store.repositories.playbooks
        #expect(try await playbooks.stats().isEmpty)
        #expect(try await playbooks.runs(since: nil, limit: 5).map(\.status) == [.running])

        await healer.settle(applied, passed: false, result: "missing_env_secrets recurred after create_default_env", verificationID: nil)
        #expect(try await playbooks.stats().map { [$0.attempts, $0.successes] } == [[1, 0]])
        let run = try #require(try await playbooks.runs(since: nil, limit: 5).first)
        #expect(run.status == .failed && run.id == applied.playbookRunID)
        #expect(run.details?["recovery"]?.stringValue == "missing_env_secrets recurred after create_default_env")
        let audit = try #require(try await fixture.store.repositories.audit.tail(limit: 1).first)
        #expect(audit.action == "playbook.recovery" && audit.result == "failed")

        // A verified recovery counts a success.
        let second = await healer.handle(try fixture.match("KeyError: 'API_KEY_2'"), runID: nil, verifiesRecovery: true)
        await healer.settle(try #require(second.applied), passed: true, result: "healthy, did not recur", verificationID: nil)
        #expect(try await playbooks.stats().map { [$0.attempts, $0.successes] } == [[2, 1]])
    }
}

@Suite struct ApprovalExpiryTests {
    @Test func aPendingApprovalNobodyDecidedInTimeExpiresAndIsAudited() async throws {
        let fixture = try HealingFixture()
        let approvals = fixture.store.repositories.approvals
        let old = try await approvals.create(ApprovalRequest(requestedBy: "grace", reason: "stale", playbookID: "apply_pending_migrations",
                                                             createdAt: Timestamp.string(from: Date().addingTimeInterval(-100 * 3600))))
        let fresh = try await approvals.create(ApprovalRequest(requestedBy: "grace", reason: "fresh", playbookID: "apply_pending_migrations"))
        let executor = ApprovalExecutor(nodeID: "n", repositories: fixture.store.repositories, healer: try fixture.healer(),
                                        logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, expiryHours: 72)
        let expired = try await executor.expireStale()
        #expect(expired.map(\.eventID) == [old.eventID])
        let stored = try #require(try await approvals.approval(id: old.eventID))
        #expect(stored.status == .expired && stored.decisionBy == "grace" && stored.decisionReason?.contains("GRACE_APPROVAL_EXPIRY_HOURS") == true)
        #expect(try await approvals.approval(id: fresh.eventID)?.status == .pending)
        // An expired request cannot be approved any more.
        await #expect(throws: StoreError.self) { try await approvals.decide(id: old.eventID, approve: true, by: "cli", reason: nil) }
        let audit = try await fixture.store.repositories.audit.tail(limit: 5)
        #expect(audit.contains { $0.action == "approval.expire" && $0.resource == "approval/\(old.eventID)" })
        #expect(try await executor.expireStale().isEmpty, "expiring twice expires nothing more")
    }
}

@Suite struct HumanConfirmationTests {
    @Test func anApprovedFixOnlyAPersonCanCompleteRunsThenWaitsForTheirConfirmation() async throws {
        let fixture = try HealingFixture()
        let approvals = fixture.store.repositories.approvals
        let healer = try fixture.healer(maxTier: .tier3)
        let match = try fixture.match("ImportError: cannot import name 'AgentModel' from partially initialized module 'agent_models' (most likely due to a circular import)")
        #expect(match.patternID == "circular_import_avn_models")
        // High risk: it waits for approval first.
        let asked = await healer.handle(match, runID: nil)
        let approvalID = try #require(asked.approvalID)
        #expect(asked.decision == .awaitApproval)
        _ = try await approvals.decide(id: approvalID, approve: true, by: "cli", claimedBy: nil, reason: nil)
        #expect(try await approvals.markExecuted(id: approvalID))
        let ran = await healer.handle(match, runID: nil, approvedID: approvalID)
        // It ran (the developer is asked, with the evidence); a separate request decides the fix.
        let confirmationID = try #require(ran.confirmationID)
        #expect(confirmationID != approvalID && !ran.attempt.succeeded && ran.attempt.detail.contains("awaiting confirmation"))
        let confirmation = try #require(try await approvals.approval(id: confirmationID))
        #expect(confirmation.status == .pending && SelfHealer.awaitsConfirmation(confirmation.details))
        #expect(try await fixture.store.repositories.playbooks.stats().isEmpty, "nothing is counted before the person says")
        // Confirmed: the fix counts as succeeded, with a human_confirmation verification.
        _ = try await approvals.decide(id: confirmationID, approve: true, by: "dev", claimedBy: nil, reason: "moved the import")
        #expect(try await approvals.markExecuted(id: confirmationID))
        await healer.settleConfirmation(try #require(try await approvals.approval(id: confirmationID)), confirmed: true)
        #expect(try await approvals.approval(id: confirmationID)?.status == .succeeded)
        #expect(try await fixture.store.repositories.playbooks.stats().map { [$0.attempts, $0.successes] } == [[1, 1]])
        let verification = try #require(try await fixture.store.repositories.verifications.recent(limit: 1).first)
        #expect(verification.verificationType == "human_confirmation" && verification.passed)
    }
}
