import Foundation
import GraceBoot
import GraceCore
import GraceStore
import Testing

@Suite struct DamagedDatabaseTests {
    private func garbage() -> Data {
        Data((0..<48 * 1024).map { UInt8(truncatingIfNeeded: ($0 &* 7919) ^ ($0 >> 3)) })
    }

    @Test func observeOnlyFailsClearlyAndLeavesTheFileAsItWas() async throws {
        let home = try BootFixture()
        _ = try await home.boot()
        let damaged = garbage()
        try damaged.write(to: URL(fileURLWithPath: home.layout.graceDatabase))

        let (report, _) = try await home.boot()
        #expect(report.status == .failed)
        let preflight = report.stages[0]
        #expect(preflight.status == .failed)
        #expect(preflight.findings.contains { $0.code == "database_damaged" && $0.message.contains("grace.db") })
        #expect(preflight.healing.map(\.decision) == ["observe"])
        #expect(home.bytes(home.layout.graceDatabase) == damaged)  // never made worse
        #expect(try String(contentsOfFile: home.layout.lastBootReportText, encoding: .utf8).contains("grace.db is damaged"))
    }

    @Test func executeModeHealsFromTheNewestHealthySnapshot() async throws {
        let home = try BootFixture()
        _ = try await home.boot()
        _ = try await home.boot()  // this boot's snapshot holds a healthy grace.db with the first boot's run
        let damaged = garbage()
        try damaged.write(to: URL(fileURLWithPath: home.layout.graceDatabase))

        home.overrides["SELF_HEAL_OBSERVE_ONLY"] = "false"
        home.overrides["SELF_HEAL_EXECUTE"] = "true"
        let (report, _) = try await home.boot()
        #expect(report.status == .success, "\(report.text)")
        let preflight = report.stages[0]
        #expect(preflight.status == .passedAfterHeal)
        #expect(preflight.healing.first?.playbookID == "restore_database_snapshot")
        #expect(preflight.healing.first?.succeeded == true)

        // The damaged bytes are kept beside, never deleted, with the -wal and -shm that were beside
        // them under the same name.
        let kept = try FileManager.default.contentsOfDirectory(atPath: home.layout.databasesDirectory).filter { $0.hasPrefix("grace.db.damaged-") }
        let main = kept.filter { !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
        #expect(main.count == 1, "\(kept)")
        #expect(home.bytes(home.layout.databasesDirectory + "/" + main[0]) == damaged)
        #expect(kept.allSatisfy { $0.hasPrefix(main[0]) }, "\(kept)")
        let store = try SQLiteStore(layout: home.layout)
        #expect(try await store.health().allSatisfy { $0.isHealthy })
        #expect(try await store.repositories.audit.verify().isIntact)
        #expect(try await store.repositories.runs.runs(matching: RunQuery(kind: "boot")).count >= 2)
    }
}

@Suite struct InstanceLockTests {
    @Test func aSecondLockNamesTheHolder() throws {
        let home = try BootFixture()
        let first = try InstanceLock(path: home.layout.pidFile)
        #expect(!first.previousRunWasUnclean)
        #expect(throws: BootError.self) { try InstanceLock(path: home.layout.pidFile) }
        do { _ = try InstanceLock(path: home.layout.pidFile) } catch {
            #expect("\(error)".contains("pid \(getpid())"))
        }
        #expect(InstanceLock.isHeld(home.layout.pidFile))
        first.release()
        #expect(!InstanceLock.isHeld(home.layout.pidFile))
        let again = try InstanceLock(path: home.layout.pidFile)
        #expect(!again.previousRunWasUnclean)
        again.release()
    }

    @Test func aLeftoverFileMeansAnUncleanShutdown() throws {
        let home = try BootFixture()
        try Data("12345\nport=8000\n".utf8).write(to: URL(fileURLWithPath: home.layout.pidFile))
        let lock = try InstanceLock(path: home.layout.pidFile)
        #expect(lock.previousRunWasUnclean)
        lock.release()
    }
}
