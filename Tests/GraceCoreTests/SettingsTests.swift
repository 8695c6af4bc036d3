import GraceCore
import Testing

@Suite struct SettingsTests {
    private func values(_ pairs: [String: String], origin: String = "environment") -> [String: SettingValue] {
        pairs.mapValues { SettingValue(value: $0, origin: origin) }
    }

    @Test func defaultsMatchTheDesign() throws {
        let settings = try GraceSettings(values: [:])
        #expect(settings.home == "./grace-home")
        #expect(settings.host == "127.0.0.1" && settings.port == 8000)
        #expect(settings.structuredLogging && settings.autoSnapshotBeforeBoot && settings.selfHealObserveOnly)
        #expect(!settings.selfHealExecute)
        #expect(settings.apiToken == nil)
        #expect(settings.bootProfile == .production)
        #expect(settings.maxUnattendedTier == .tier1)
        #expect(settings.maxUnattendedFixesPerHour == 3)
        #expect(GovernancePolicy(settings: settings).breaker == FixBreaker(limit: 3, windowSeconds: 3600))
    }

    @Test func theFixBudgetIsConfigurable() throws {
        let settings = try GraceSettings(values: values(["GRACE_MAX_UNATTENDED_FIXES_PER_HOUR": "0"]))
        #expect(settings.maxUnattendedFixesPerHour == 0)
        #expect(GovernancePolicy(settings: settings).breaker.limit == 0)
    }

    @Test func valuesAreParsed() throws {
        let settings = try GraceSettings(values: values([
            "GRACE_PORT": "9090", "SELF_HEAL_EXECUTE": "Yes", "STRUCTURED_LOGGING": "0", "GRACE_MAX_UNATTENDED_TIER": "2",
            "GRACE_BOOT_PROFILE": "BASIC", "GRACE_REQUIRED_SECRETS": "GITHUB_TOKEN, AMP_API_KEY,", "GRACE_API_TOKEN": "s3cret-token",
        ]))
        #expect(settings.port == 9090 && settings.selfHealExecute && !settings.structuredLogging)
        #expect(settings.maxUnattendedTier == .tier2 && settings.bootProfile == .basic)
        #expect(settings.requiredSecrets == ["GITHUB_TOKEN", "AMP_API_KEY"])
        #expect(settings.secretValues == ["s3cret-token"])
        #expect(settings.allowedHosts.isEmpty && !settings.metricsPublic)
        let hosts = try GraceSettings(values: values(["GRACE_ALLOWED_HOSTS": "Grace.Internal, [FD00::5], fd00::6,10.0.0.5, proxy.example.",
                                                      "GRACE_METRICS_PUBLIC": "true"]))
        #expect(hosts.allowedHosts == ["grace.internal", "fd00::5", "fd00::6", "10.0.0.5", "proxy.example"])
        #expect(hosts.metricsPublic)
    }

    @Test(arguments: [
        ("GRACE_PORT", "abc", "an integer port"),
        ("GRACE_PORT", "70000", "an integer port"),
        ("SELF_HEAL_EXECUTE", "maybe", "true or false"),
        ("STRUCTURED_LOGGING", "", "true or false"),
        ("GRACE_BOOT_PROFILE", "turbo", "one of production, basic"),
        ("GRACE_MAX_UNATTENDED_TIER", "tier_9", "tier_0, tier_1"),
        ("GRACE_MAX_UNATTENDED_FIXES_PER_HOUR", "-1", "an integer 0-1000"),
        ("GRACE_MAX_UNATTENDED_FIXES_PER_HOUR", "many", "an integer 0-1000"),
        ("GRACE_LOG_LEVEL", "loud", "one of trace"),
        ("GRACE_DATABASE_URL", "mysql://grace@db/grace", "postgres://USER"),
        ("GRACE_DATABASE_URL", "postgres://db.example/grace", "postgres://USER"),
        ("GRACE_DATABASE_URL", "postgres://grace@db:99999/grace", "postgres://USER"),
        ("GRACE_DATABASE_URL", "postgres://grace@db/grace?sslmode=sometimes", "sslmode=disable|prefer|require"),
        ("GRACE_NODE_ID", "node one", "a node name"),
        ("GRACE_ALLOWED_HOSTS", "http://grace.internal", "host names or IP addresses"),
        ("GRACE_ALLOWED_HOSTS", "grace.internal:8000", "without scheme, path or port"),
        ("GRACE_ALLOWED_HOSTS", "grace.internal/api", "host names or IP addresses"),
        ("GRACE_ALLOWED_HOSTS", "[fd00::1", "host names or IP addresses"),
        ("GRACE_METRICS_PUBLIC", "sometimes", "true or false"),
        ("GRACE_RETENTION_DAYS", "a month", "a number of days"),
        ("GRACE_RETENTION_DAYS", "-1", "a number of days"),
        ("GRACE_RETENTION_METRICS_DAYS", "inf", "a number of days"),
        ("GRACE_RETENTION_INTERVAL", "0", "seconds between pruning passes"),
    ])
    func aBadValueNamesTheKeyTheValueAndWhatIsAllowed(key: String, value: String, allowed: String) {
        do {
            _ = try GraceSettings(values: values([key: value], origin: "/tmp/x/.env"))
            Issue.record("\(key)=\(value) must be refused")
        } catch {
            #expect(error.problems.count == 1)
            let message = error.description
            #expect(message.contains(key) && message.contains("\"\(value)\"") && message.contains(allowed))
            #expect(message.contains("/tmp/x/.env"))
        }
    }

    @Test func retentionKeepsForeverUnlessSetAndOverridesWinPerGroup() throws {
        let unset = try GraceSettings(values: [:]).retention
        #expect(!unset.isEnabled && unset.intervalSeconds == 3600)
        #expect(RetentionSettings.Group.allCases.allSatisfy { unset.days(for: $0) == nil })
        let set = try GraceSettings(values: values(["GRACE_RETENTION_DAYS": "30", "GRACE_RETENTION_METRICS_DAYS": "0.5",
                                                    "GRACE_RETENTION_LOGS_DAYS": "0", "GRACE_RETENTION_INTERVAL": "60"])).retention
        #expect(set.days(for: .runs) == 30 && set.days(for: .training) == 30)
        #expect(set.days(for: .metrics) == 0.5)
        #expect(set.days(for: .logs) == nil, "an override of 0 keeps that group forever")
        #expect(set.intervalSeconds == 60 && set.isEnabled)
        let onlyOne = try GraceSettings(values: values(["GRACE_RETENTION_RUNS_DAYS": "7"])).retention
        #expect(onlyOne.isEnabled && onlyOne.days(for: .runs) == 7 && onlyOne.days(for: .metrics) == nil)
        #expect(RetainedKind.allCases.allSatisfy { RetentionSettings.Group.allCases.contains($0.group) })
    }

    @Test func hostHeadersAreParsedAndLoopbackIsRecognised() {
        #expect(HostName.authority("127.0.0.1:8000")! == ("127.0.0.1", 8000))
        #expect(HostName.authority("[::1]:80")! == ("::1", 80))
        #expect(HostName.authority("LocalHost.")! == ("localhost", nil))
        for malformed in ["", ":80", "evil:99999", "evil:", "a:b", "::1", "[::1", "[::1]x", "127.0.0.1:80@evil.example", "ev il"] {
            #expect(HostName.authority(malformed) == nil, "\(malformed)")
        }
        for loopback in ["127.0.0.1", "127.255.0.9", "localhost", "::1"] { #expect(HostName.isLoopback(loopback), "\(loopback)") }
        for other in ["127.0.0.256", "127.0.0", "127.0.0.1.evil.example", "0.0.0.0", "10.0.0.1", "localhost.evil.example", "::2"] {
            #expect(!HostName.isLoopback(other), "\(other)")
        }
    }

    @Test func everyBadKeyIsReportedAtOnce() {
        #expect(throws: SettingsError.self) { try GraceSettings(values: values(["GRACE_PORT": "x", "SELF_HEAL_EXECUTE": "y"])) }
        do { _ = try GraceSettings(values: values(["GRACE_PORT": "x", "SELF_HEAL_EXECUTE": "y"])) } catch {
            #expect(Set(error.problems.map(\.key)) == ["GRACE_PORT", "SELF_HEAL_EXECUTE"])
        }
    }

    @Test func unknownGraceKeysAreFlagged() {
        #expect(GraceSettings.unknownGraceKeys(in: values(["GRACE_PROT": "1", "GRACE_PORT": "1", "PATH": "/bin"])) == ["GRACE_PROT"])
    }

    @Test func secretKeysAreRecognised() {
        #expect(GraceSettings.isSecretKey("GITHUB_TOKEN") && GraceSettings.isSecretKey("AMP_API_KEY"))
        #expect(GraceSettings.isSecretKey("DB_PASSWORD") && !GraceSettings.isSecretKey("GRACE_PORT"))
    }
}

@Suite struct DotEnvTests {
    @Test func parsesTheCommonForms() throws {
        let text = """
            # comment
            GRACE_PORT=8080
            export STRUCTURED_LOGGING = false   # trailing comment
            QUOTED="a \\"b\\" c\\nd"
            SINGLE='literal $HOME \\n'
            EMPTY=
            CRLF=yes\r
            UNICODE=héllo ✓
            """
        let values = try DotEnv.parse(text, source: ".env")
        #expect(values["GRACE_PORT"] == "8080")
        #expect(values["STRUCTURED_LOGGING"] == "false")
        #expect(values["QUOTED"] == "a \"b\" c\nd")
        #expect(values["SINGLE"] == "literal $HOME \\n")
        #expect(values["EMPTY"] == "")
        #expect(values["CRLF"] == "yes")
        #expect(values["UNICODE"] == "héllo ✓")
    }

    @Test(arguments: [
        ("JUSTTEXT", 1, "expected KEY=value"),
        ("OK=1\n1BAD=2", 2, "not a valid variable name"),
        ("A=\"unterminated", 1, "unterminated"),
        ("A=\"x\" junk", 1, "unexpected text"),
    ])
    func errorsNameTheFileAndLine(text: String, line: Int, reason: String) {
        #expect {
            try DotEnv.parse(text, source: "home/.env")
        } throws: { error in
            guard let error = error as? DotEnv.ParseError else { return false }
            return error.line == line && error.description.hasPrefix("home/.env:\(line):") && error.reason.contains(reason)
        }
    }

    @Test func aDatabaseURLSelectsPostgresAndItsPasswordIsASecret() throws {
        let settings = try GraceSettings(values: [
            "GRACE_DATABASE_URL": "postgresql://grace:p%40ss-word@db.internal:6432/grace_prod?sslmode=require", "GRACE_NODE_ID": "web-2",
        ].mapValues { SettingValue(value: $0, origin: "environment") })
        let url = try #require(settings.databaseURL)
        #expect(url.user == "grace" && url.password == "p@ss-word" && url.host == "db.internal" && url.port == 6432)
        #expect(url.database == "grace_prod" && url.tls == .require)
        #expect(url.displayURL == "postgres://grace@db.internal:6432/grace_prod")
        // What messages, logs and the API show names neither user nor host.
        #expect(url.description == "postgresql")
        #expect(url.redacting("connect to db.internal:6432 failed for user \"grace\" (graceful: p@ss-word)")
                    == "connect to … failed for user \"…\" (graceful: …)")
        #expect(settings.nodeID == "web-2")
        #expect(settings.secretValues.contains("p@ss-word"))
        #expect(try GraceSettings(values: [:]).databaseURL == nil)
        #expect(!GraceSettings.defaultNodeID.isEmpty)
    }
}
