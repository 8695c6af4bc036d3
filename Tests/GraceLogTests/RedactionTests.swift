import Foundation
import Logging
import Testing
@testable import GraceLog

@Suite("Secret redaction")
struct RedactionTests {
    static let token = "ghp_S3cr3tT0kenValue"
    static let password = "pa\"ss\\wo\nrd"
    static let unicode = "clé-🔑-секрет"

    @Test("secrets in messages, metadata values, keys, nested metadata and errors never reach the file")
    func secretsNeverReachTheFile() throws {
        struct AuthFailed: Error, CustomStringConvertible {
            var description: String { "rejected token \(RedactionTests.token)" }
        }
        let fixture = try LogFixture(secrets: [Self.token, Self.password, Self.unicode, "", "abc"])
        let logger = fixture.logger
        withRun("run-\(Self.token)") {
            logger.info("using token \(Self.token) and password \(Self.password)")
            logger.warning(
                "metadata",
                metadata: [
                    "token": .string(Self.token),
                    "header": .string("Bearer \(Self.token)"),
                    "convertible": .stringConvertible(Self.unicode),
                    "nested": ["deeper": ["password": .string(Self.password)], "list": [.string("x\(Self.unicode)y")]],
                    "key-\(Self.token)": "value",
                    "subsystem": .string("sub \(Self.token)"),
                ]
            )
            logger.error("failed", error: AuthFailed())
        }
        let raw = try String(contentsOfFile: fixture.path, encoding: .utf8)
        let lines = try fixture.lines()
        #expect(lines.count == 3)
        for secret in [Self.token, Self.password, Self.unicode] {
            #expect(!raw.contains(secret))
            var buffer = ByteBuffer()
            buffer.appendEscaped(secret, json: true)
            let escaped = buffer.string
            #expect(!raw.contains(escaped), "escaped form of \(secret) leaked")
            // No fragment of the secret longer than half of it survives either.
            let half = String(secret.prefix(secret.count / 2 + 1))
            #expect(!raw.contains(half))
        }
        #expect(raw.contains(SecretRedactor.replacement))
        let objects = try lines.map(parseObject)
        #expect(objects[0]["message"] as? String == "using token [REDACTED] and password [REDACTED]")
        #expect(objects[0]["run_id"] as? String == "run-[REDACTED]")
        #expect(objects[1]["header"] as? String == "Bearer [REDACTED]")
        #expect(objects[1]["key-[REDACTED]"] as? String == "value")
        #expect(objects[1]["subsystem"] as? String == "sub [REDACTED]")
        let nested = try #require(objects[1]["nested"] as? [String: Any])
        #expect(nested["deeper"] as? [String: String] == ["password": "[REDACTED]"])
        #expect(nested["list"] as? [String] == ["x[REDACTED]y"])
        #expect(objects[2]["error"] as? String == "rejected token [REDACTED]")
    }

    @Test("plain-text mode is redacted too")
    func plainTextRedacted() throws {
        let fixture = try LogFixture(structured: false, secrets: [Self.token])
        fixture.logger.info("token=\(Self.token)", metadata: ["auth": .string(Self.token)])
        let raw = try String(contentsOfFile: fixture.path, encoding: .utf8) + (try fixture.lines().joined())
        #expect(!raw.contains(Self.token))
        #expect(raw.contains("token=[REDACTED] auth=[REDACTED]"))
    }

    @Test("the redactor ignores short values, covers overlaps and repeats, and leaves other text alone")
    func redactorRules() {
        let none = SecretRedactor(secrets: [])
        #expect(none.isEmpty)
        #expect(none.redact("anything") == "anything")

        let short = SecretRedactor(secrets: ["", "a", "abc", "🔑🔑🔑"])
        #expect(short.isEmpty)
        #expect(short.redact("abc a 🔑🔑🔑") == "abc a 🔑🔑🔑")

        let redactor = SecretRedactor(secrets: ["abcdef", "defghi", "aaaa", "abcdef"])
        #expect(!redactor.isEmpty)
        #expect(redactor.redact("no secret here") == "no secret here")
        #expect(redactor.redact("abcdef") == "[REDACTED]")
        #expect(redactor.redact("xxabcdefghiyy") == "xx[REDACTED]yy", "overlapping secrets leave no fragment")
        #expect(redactor.redact("abcdefabcdef") == "[REDACTED]")
        #expect(redactor.redact("aaaaa-aaaa") == "[REDACTED]-[REDACTED]")
        #expect(redactor.redact("1 abcdef 2 defghi 3") == "1 [REDACTED] 2 [REDACTED] 3")
        #expect(redactor.redact("abcde") == "abcde")

        let unicode = SecretRedactor(secrets: ["日本語テキスト"])
        #expect(unicode.redact("前日本語テキスト後") == "前[REDACTED]後")
        #expect(unicode.redact("e\u{301}日本語テキスト") == "e\u{301}[REDACTED]")
    }
}
