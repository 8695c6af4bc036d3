import GraceCore
import Testing

@Suite("Target settings (GRACE_TARGET_*)")
struct TargetSettingsTests {
    private func settings(_ pairs: [String: String]) throws(SettingsError) -> GraceSettings {
        try GraceSettings(values: pairs.mapValues { SettingValue(value: $0, origin: "/srv/app/.env") })
    }

    @Test func noCommandMeansNoTarget() throws {
        #expect(try settings([:]).target == nil)
    }

    @Test func defaultsAndListsAreParsed() throws {
        let target = try #require(try settings([
            "GRACE_TARGET_COMMAND": "exec python3 app.py", "GRACE_TARGET_DATABASES": "data/a.db, data/b.db",
            "GRACE_TARGET_REQUIRED_SECRETS": "OPENAI_API_KEY", "GRACE_TARGET_HEALTH_URL": "http://127.0.0.1:8765/health",
        ]).target)
        #expect(target.command == "exec python3 app.py")
        #expect(target.databases == ["data/a.db", "data/b.db"] && target.requiredSecrets == ["OPENAI_API_KEY"])
        #expect(target.envFile == ".env" && target.safeModeVariable == "GRACE_SAFE_MODE")
        #expect(target.startTimeoutSeconds == 30 && target.stopTimeoutSeconds == 10 && target.maxRestarts == 5)
        #expect(target.healthURL == "http://127.0.0.1:8765/health")
    }

    @Test("a target key without a command, and bad values, are named with their origin",
          arguments: [
              (["GRACE_TARGET_DIR": "/srv/app"], "GRACE_TARGET_COMMAND"),
              (["GRACE_TARGET_COMMAND": "x", "GRACE_TARGET_HEALTH_URL": "localhost:8000/health"], "GRACE_TARGET_HEALTH_URL"),
              (["GRACE_TARGET_COMMAND": "x", "GRACE_TARGET_HEALTH_URL": "ftp://host/x"], "GRACE_TARGET_HEALTH_URL"),
              (["GRACE_TARGET_COMMAND": "x", "GRACE_TARGET_STOP_TIMEOUT": "0"], "GRACE_TARGET_STOP_TIMEOUT"),
              (["GRACE_TARGET_COMMAND": "x", "GRACE_TARGET_SAFE_MODE_VAR": "9LIVES"], "GRACE_TARGET_SAFE_MODE_VAR"),
              (["GRACE_TARGET_COMMAND": "x", "GRACE_TARGET_BACKOFF_MS": "fast"], "GRACE_TARGET_BACKOFF_MS"),
          ])
    func invalidValues(pairs: [String: String], key: String) {
        #expect {
            _ = try settings(pairs)
        } throws: { error in
            let problems = (error as? SettingsError)?.problems ?? []
            return problems.contains { $0.key == key && $0.origin == "/srv/app/.env" }
        }
    }

    @Test func backoffDoublesUpToTheMaximum() throws {
        let target = try #require(try settings([
            "GRACE_TARGET_COMMAND": "x", "GRACE_TARGET_BACKOFF_MS": "100", "GRACE_TARGET_BACKOFF_MAX_MS": "1000",
        ]).target)
        #expect((1...6).map { target.backoff(beforeRestart: $0) } == [100, 200, 400, 800, 1000, 1000].map { Duration.milliseconds($0) })
    }

    @Test func relativePathsResolveAgainstTheWorkingDirectory() throws {
        let target = try #require(try settings([
            "GRACE_TARGET_COMMAND": "x", "GRACE_TARGET_DIR": "services/agent", "GRACE_TARGET_DATABASES": "data/a.db,/var/b.db",
            "GRACE_TARGET_MIGRATIONS": "./migrations",
        ]).target).resolvingPaths(against: "/home/me/project")
        #expect(target.workingDirectory == "/home/me/project/services/agent")
        #expect(target.envFile == "/home/me/project/services/agent/.env")
        #expect(target.databases == ["/home/me/project/services/agent/data/a.db", "/var/b.db"])
        #expect(target.migrationsDirectory == "/home/me/project/services/agent/migrations")
    }
}
