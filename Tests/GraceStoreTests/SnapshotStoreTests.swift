import Foundation
import GraceCore
import Testing
@testable import GraceStore

/// Snapshots on real SQLite files: they belong to their home, keep every byte they replace, keep
/// a healthy copy through any number of bad boots, and never reuse a name (issue 14).
@Suite struct SnapshotStoreTests {
    /// A home with a store holding `runs` runs, closed again (snapshots are taken with no connection open).
    static func home(runs: Int) async throws -> TemporaryHome {
        let home = try TemporaryHome()
        try await addRuns(runs, to: home.layout)
        return home
    }

    static func addRuns(_ count: Int, to layout: GraceHomeLayout) async throws {
        let store = try SQLiteStore(layout: layout)
        for _ in 0..<count { _ = try await store.repositories.runs.create(AgentRun(trigger: .manual, subsystem: "test")) }
        try store.close()
    }

    static func runCount(_ layout: GraceHomeLayout) async throws -> Int {
        let store = try SQLiteStore(layout: layout)
        defer { try? store.close() }
        return try await store.repositories.runs.runs(matching: RunQuery(limit: 1000)).count
    }

    static func snapshot(_ layout: GraceHomeLayout) throws -> SnapshotManifest {
        try SnapshotStore(layout: layout).create(bootID: nil, platform: "test")
    }

    @Test func manifestsHoldOnlyRelativePaths() async throws {
        let home = try await Self.home(runs: 1)
        let manifest = try Self.snapshot(home.layout)
        let text = try String(contentsOfFile: home.layout.snapshotsDirectory + "/" + manifest.snapshotID + "/manifest.json", encoding: .utf8)
        #expect(!text.contains(home.url.path), "\(text)")
        #expect(manifest.files.first { $0.name == "grace.db" }?.path == "databases/grace.db")
        #expect(manifest.files.allSatisfy { $0.base == .home })
    }

    @Test(arguments: ["copy", "move"])
    func aCopiedOrMovedHomeRestoresIntoItselfAndLeavesTheOriginalAlone(how: String) async throws {
        let original = try await Self.home(runs: 2)
        let manifest = try Self.snapshot(original.layout)
        try await Self.addRuns(3, to: original.layout)
        let other = try TemporaryHome()
        try FileManager.default.removeItem(at: other.url)
        if how == "copy" {
            try FileManager.default.copyItem(at: original.url, to: other.url)
        } else {
            try FileManager.default.moveItem(at: original.url, to: other.url)
        }
        let originalBytes = try? Data(contentsOf: URL(fileURLWithPath: original.layout.graceDatabase))

        let snapshots = SnapshotStore(layout: other.layout)
        let result = try snapshots.restore(id: manifest.snapshotID, discardNewer: true)
        #expect(result.restored.contains("grace.db"))
        #expect(try await Self.runCount(other.layout) == 2)
        #expect(result.keptAside.allSatisfy { $0.hasPrefix(other.url.path + "/") }, "\(result.keptAside)")
        if how == "copy" {
            #expect(try Data(contentsOf: URL(fileURLWithPath: original.layout.graceDatabase)) == originalBytes)
            #expect(try await Self.runCount(original.layout) == 5)
        } else {
            #expect(!FileManager.default.fileExists(atPath: original.url.path), "a moved home's restore wrote into its old path")
        }
    }

    @Test func aRestoreThatWouldDiscardNewerRowsIsRefusedNamingThem() async throws {
        let home = try await Self.home(runs: 1)
        let manifest = try Self.snapshot(home.layout)
        try await Self.addRuns(2, to: home.layout)
        let before = try Data(contentsOf: URL(fileURLWithPath: home.layout.graceDatabase))
        let snapshots = SnapshotStore(layout: home.layout)

        let plan = try snapshots.plan(id: manifest.snapshotID, names: ["grace.db"])
        #expect(plan.discardsReadableData)
        let runs = try #require(plan.files.first?.newer?.tables.first { $0.name == "agent_runs" })
        #expect(runs.live == 3 && runs.snapshot == 1)
        #expect(plan.newerSummary.contains("agent_runs +2 (3 now, 1 in the snapshot)"), "\(plan.newerSummary)")

        #expect {
            try snapshots.restore(id: manifest.snapshotID, names: ["grace.db"])
        } throws: { error in
            "\(error)".contains("would discard data newer than the snapshot") && "\(error)".contains("--discard-newer")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: home.layout.graceDatabase)) == before)
    }

    @Test func aRestoreMovesTheLiveFileAndItsWALAsideTogether() async throws {
        let home = try await Self.home(runs: 1)
        let manifest = try Self.snapshot(home.layout)
        // A store left open: its newest rows are in grace.db-wal only.
        let store = try SQLiteStore(layout: home.layout)
        for _ in 0..<4 { _ = try await store.repositories.runs.create(AgentRun(trigger: .manual, subsystem: "wal")) }
        let path = home.layout.graceDatabase
        let main = try Data(contentsOf: URL(fileURLWithPath: path))
        let wal = try Data(contentsOf: URL(fileURLWithPath: path + "-wal"))
        #expect(!wal.isEmpty)
        try store.close()
        // close() checkpointed; put back the state of a crash (main file plus an unapplied WAL).
        try main.write(to: URL(fileURLWithPath: path))
        try wal.write(to: URL(fileURLWithPath: path + "-wal"))

        let result = try SnapshotStore(layout: home.layout).restore(id: manifest.snapshotID, names: ["grace.db"], discardNewer: true)
        let mainAside = try #require(result.keptAside.first { !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") })
        let walAside = try #require(result.keptAside.first { $0.hasSuffix("-wal") })
        #expect(try Data(contentsOf: URL(fileURLWithPath: mainAside)) == main)
        #expect(try Data(contentsOf: URL(fileURLWithPath: walAside)) == wal)
        #expect(walAside == mainAside + "-wal")
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(try await Self.runCount(home.layout) == 1)
        // The kept pair opens as the database it was, with every row of the WAL.
        let kept = try TemporaryHome()
        try FileManager.default.createDirectory(atPath: kept.layout.databasesDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: mainAside, toPath: kept.layout.graceDatabase)
        try FileManager.default.copyItem(atPath: walAside, toPath: kept.layout.graceDatabase + "-wal")
        #expect(try await Self.runCount(kept.layout) == 5)
    }

    @Test func aFileAlreadyHoldingTheSnapshotIsLeftAsItIs() async throws {
        let home = try await Self.home(runs: 1)
        let manifest = try Self.snapshot(home.layout)
        let result = try SnapshotStore(layout: home.layout).restore(id: manifest.snapshotID)
        #expect(result.keptAside.isEmpty && result.unchanged.contains("grace.db"), "\(result)")
    }

    @Test func aDatabaseOpenInAnotherProcessIsNeverReplaced() async throws {
        let home = try await Self.home(runs: 1)
        let manifest = try Self.snapshot(home.layout)
        try await Self.addRuns(1, to: home.layout)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 3<\"$0\"; read -r _", home.layout.graceDatabase]
        let input = Pipe()
        holder.standardInput = input
        try holder.run()
        defer { try? input.fileHandleForWriting.close(); holder.waitUntilExit() }
        // Wait until the shell has the file open.
        for _ in 0..<100 where FileHolders.holders(of: home.layout.graceDatabase).isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        #expect(FileHolders.holders(of: home.layout.graceDatabase).map(\.pid) == [holder.processIdentifier])
        let before = try Data(contentsOf: URL(fileURLWithPath: home.layout.graceDatabase))
        #expect {
            try SnapshotStore(layout: home.layout).restore(id: manifest.snapshotID, discardNewer: true)
        } throws: { error in
            "\(error)".contains("is open in another process (pid \(holder.processIdentifier)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: home.layout.graceDatabase)) == before)
    }

    @Test func retentionKeepsTheNewestHealthyCopyAndNamesAreNeverReused() async throws {
        let home = try await Self.home(runs: 1)
        let snapshots = SnapshotStore(layout: home.layout)
        let healthy = try Self.snapshot(home.layout)
        #expect(healthy.files.first { $0.name == "grace.db" }?.healthy == true)
        // Damage the live file, then take (and prune to 2) six snapshots, as six failed boots would.
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: home.layout.graceDatabase))
        var seen: Set<String> = [healthy.snapshotID]
        for _ in 0..<6 {
            let manifest = try Self.snapshot(home.layout)
            #expect(manifest.files.first { $0.name == "grace.db" }?.state == .damaged)
            #expect(seen.insert(manifest.snapshotID).inserted, "snapshot name \(manifest.snapshotID) reused")
            let pruned = snapshots.prune(keep: 2)
            #expect(pruned.problems.isEmpty)
        }
        let kept = snapshots.list().map(\.snapshotID)
        #expect(kept.count == 3 && kept.contains(healthy.snapshotID), "\(kept)")
        #expect(snapshots.holdsHealthyCopy(of: "grace.db", in: try snapshots.manifest(id: healthy.snapshotID)))
    }

    @Test func aManifestOfTheOldFormLoadsAndRestoresByName() async throws {
        let home = try await Self.home(runs: 1)
        let manifest = try Self.snapshot(home.layout)
        let file = home.layout.snapshotsDirectory + "/" + manifest.snapshotID + "/manifest.json"
        var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        root["files"] = (root["files"] as? [[String: Any]] ?? []).map { entry -> [String: Any] in
            var entry = entry
            entry["original_path"] = "/somewhere/else/" + (entry["path"] as? String ?? "")
            entry["path"] = nil
            entry["base"] = nil
            entry["healthy"] = nil
            return entry
        }
        try JSONSerialization.data(withJSONObject: root).write(to: URL(fileURLWithPath: file))
        let loaded = try SnapshotStore(layout: home.layout).manifest(id: manifest.snapshotID)
        #expect(loaded.files.first { $0.name == "grace.db" }?.healthy == nil)
        try await Self.addRuns(1, to: home.layout)
        let result = try SnapshotStore(layout: home.layout).restore(id: manifest.snapshotID, names: ["grace.db"], discardNewer: true)
        #expect(result.restored == ["grace.db"])
        #expect(!FileManager.default.fileExists(atPath: "/somewhere/else"))
        #expect(try await Self.runCount(home.layout) == 1)
    }
}
