import Foundation
import Testing
import GraceCore

/// `GRACE_ALERT_*`: each bad value named, webhook URLs and the secret redacted, the signature as documented.
@Suite struct AlertSettingsTests {
    let secret = "test-secret-0123456789"

    @Test func settingsNameTheBadValue() throws {
        func problems(_ values: [String: String]) -> [String] {
            do {
                _ = try GraceSettings(values: values.mapValues { SettingValue(value: $0, origin: "test") })
                return []
            } catch { return error.problems.map(\.key) }
        }
        #expect(problems(["GRACE_ALERT_WEBHOOKS": "https://hooks.example/x"]) == ["GRACE_ALERT_SECRET"])
        #expect(problems(["GRACE_ALERT_WEBHOOKS": "ftp://x/y", "GRACE_ALERT_SECRET": secret]) == ["GRACE_ALERT_WEBHOOKS"])
        #expect(problems(["GRACE_ALERT_SECRET": "short"]) == ["GRACE_ALERT_SECRET"])
        #expect(problems(["GRACE_ALERT_MAX_ATTEMPTS": "0", "GRACE_ALERT_BACKOFF_SECONDS": "x"]).sorted()
                == ["GRACE_ALERT_BACKOFF_SECONDS", "GRACE_ALERT_MAX_ATTEMPTS"])
        let settings = try GraceSettings(values: ["GRACE_ALERT_WEBHOOKS": "https://a.example/hook, slack+https://hooks.slack.com/services/T/B/secret",
                                                  "GRACE_ALERT_SECRET": secret].mapValues { SettingValue(value: $0, origin: "test") })
        #expect(settings.alerts.sinks.map(\.format) == [.generic, .slack])
        #expect(settings.alerts.sinks[1].id.hasPrefix("slack+https://hooks.slack.com#") && !settings.alerts.sinks[1].id.contains("secret"))
        #expect(settings.secretValues.contains(secret) && settings.secretValues.contains("https://hooks.slack.com/services/T/B/secret"))
        #expect(settings.alerts.backoff(afterAttempts: 1) == 10 && settings.alerts.backoff(afterAttempts: 3) == 40)
        do {
            _ = try GraceSettings(values: ["GRACE_ALERT_SECRET": SettingValue(value: "short", origin: "test")])
            Issue.record("a 5-character secret must be refused")
        } catch {
            #expect(!error.description.contains("\"short\""), "the secret is never echoed")
        }
    }

    @Test func theSignatureIsHMACSHA256OfTimestampDotBody() {
        let body = Data(#"{"a":1}"#.utf8)
        // python3: hmac.new(b"test-secret-0123456789", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
        let signature = AlertSignature.sign(body: body, timestamp: "1700000000", secret: secret)
        #expect(signature == "sha256=6e873f59dc6002f6de5f578e9bf3f90a7906473a2924651d6f4cc33d61aff598")
        #expect(AlertSignature.verify(signature: signature, body: body, timestamp: "1700000000", secret: secret))
        #expect(!AlertSignature.verify(signature: signature, body: body, timestamp: "1700000001", secret: secret))
        #expect(!AlertSignature.verify(signature: signature, body: Data(#"{"a":2}"#.utf8), timestamp: "1700000000", secret: secret))
        #expect(!AlertSignature.verify(signature: "sha256=zz", body: body, timestamp: "1700000000", secret: secret))
    }
}
