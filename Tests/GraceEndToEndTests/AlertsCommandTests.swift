import Foundation
import Testing

extension EndToEnd {
    /// `grace alerts test` and `grace alerts list`, the built binary against a webhook receiver in
    /// Python that checks each signature the way docs/alerts.md shows.
    @Suite(.serialized) struct AlertsCommandTests {
        static let secret = "e2e-secret-0123456789"

        /// A Python receiver on a free loopback port: 500 for `/fail`, 401 for a bad signature, else 200;
        /// prints one JSON line per request. It exits by itself after `lifetime` seconds.
        final class Receiver {
            let process = Process()
            let output = Pipe()
            let port: Int
            private var buffer = Data()

            static let script = """
                import hashlib, hmac, http.server, json, os, sys, threading
                secret = sys.argv[1].encode()
                threading.Timer(float(sys.argv[2]), lambda: os._exit(0)).start()
                class Handler(http.server.BaseHTTPRequestHandler):
                    def do_POST(self):
                        body = self.rfile.read(int(self.headers["Content-Length"]))
                        timestamp = self.headers["X-Grace-Timestamp"]
                        expected = "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
                        valid = hmac.compare_digest(expected, self.headers["X-Grace-Signature"])
                        status = 401 if not valid else 500 if self.path == "/fail" else 200
                        self.send_response(status)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        print(json.dumps({"path": self.path, "valid": valid, "status": status, "kind": self.headers["X-Grace-Event"],
                                          "body": json.loads(body)}), flush=True)
                    def log_message(self, *args):
                        pass
                server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
                print(server.server_address[1], flush=True)
                server.serve_forever()
                """

            init(lifetime: Int = 60) throws {
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["python3", "-c", Self.script, AlertsCommandTests.secret, String(lifetime)]
                process.standardOutput = output
                try process.run()
                var data = Data()
                while !data.contains(UInt8(ascii: "\n")) {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    data.append(chunk)
                }
                let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
                guard let first = lines.first, let port = Int(first) else { throw Failure("the receiver printed no port: \(lines)") }
                self.port = port
                buffer = Data(data.drop(while: { $0 != UInt8(ascii: "\n") }).dropFirst())
            }

            func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

            /// SIGKILL (Python may ignore SIGTERM), then every request line it printed.
            func stop() -> [[String: Any]] {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                buffer.append(output.fileHandleForReading.readDataToEndOfFile())
                return String(decoding: buffer, as: UTF8.self).split(separator: "\n").compactMap {
                    (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
                }
            }

            struct Failure: Error, CustomStringConvertible {
                var description: String
                init(_ description: String) { self.description = description }
            }
        }

        @Test func alertsTestSignsEachWebhookAndFailsWhenOneFails() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let receiver = try Receiver()
            let good = ["GRACE_ALERT_WEBHOOKS": "\(receiver.url("/hook")),slack+\(receiver.url("/slack"))", "GRACE_ALERT_SECRET": Self.secret]
            let passed = try grace.run(["alerts", "test"], extraEnvironment: good)
            var bad = good
            bad["GRACE_ALERT_WEBHOOKS"] = receiver.url("/hook") + "," + receiver.url("/fail")
            let failed = try grace.run(["alerts", "test"], extraEnvironment: bad)
            let none = try grace.run(["alerts", "test"])
            let shown = try grace.run(["settings"], extraEnvironment: good)
            let requests = receiver.stop()

            #expect(passed.status == 0, "\(passed.stdout) \(passed.stderr)")
            #expect(passed.stdout.split(separator: "\n").filter { $0.hasPrefix("ok ") && $0.contains("HTTP 200") }.count == 2)
            #expect(!passed.stdout.contains("/hook") && !passed.stdout.contains("/slack"), "webhook URLs are not printed")
            #expect(failed.status == 1)
            #expect(failed.stdout.contains("failed  http://127.0.0.1:\(receiver.port)#") && failed.stdout.contains("HTTP 500"))
            #expect(none.status == 2 && none.stderr.contains("GRACE_ALERT_WEBHOOKS"))
            #expect(shown.status == 0 && shown.stdout.contains("GRACE_ALERT_SECRET") && shown.stdout.contains("(set, masked)"))
            #expect(!shown.stdout.contains(Self.secret) && !shown.stdout.contains("/hook") && shown.stdout.contains("#"),
                    "webhooks are shown by id, the secret masked: \(shown.stdout)")
            #expect(requests.count == 4 && requests.allSatisfy { $0["valid"] as? Bool == true && $0["kind"] as? String == "test" })
            let slack = try #require(requests.first { $0["path"] as? String == "/slack" }?["body"] as? [String: Any])
            #expect(slack.keys.sorted() == ["text"])
            let generic = try #require(requests.first { $0["path"] as? String == "/hook" }?["body"] as? [String: Any])
            #expect((generic["event_key"] as? String)?.hasPrefix("test:tst_") == true && generic["kind"] as? String == "test")
        }

        @Test func aBadAlertSettingStopsStartUpNamingIt() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let result = try grace.run(["up"], extraEnvironment: ["GRACE_ALERT_WEBHOOKS": "https://hooks.example/x"])
            #expect(result.status == 2 && result.stderr.contains("GRACE_ALERT_SECRET") && result.stderr.contains("expected"))
        }

        @Test func alertsListShowsTheStoredDeliveries() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            for folder in ["databases", "logs"] {
                try FileManager.default.createDirectory(at: grace.home.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            let empty = try grace.run(["alerts", "list"])
            #expect(empty.status == 0 && empty.stdout.contains("no alert deliveries"), "\(empty.stderr)")
            let event = #"{"details":{},"event_key":"boot_failed:run_1","kind":"boot_failed","occurred_at":"2026-01-01T00:00:00.000000Z","title":"Boot run_1 failed"}"#
            try grace.sqlite("""
                INSERT INTO alert_deliveries (event_key, sink, kind, event, status, attempts, last_error, last_http_status, created_at,
                    updated_at, next_attempt_at) VALUES ('boot_failed:run_1', 'https://hooks.example#1a2b3c4d', 'boot_failed', '\(event)',
                    'failed', 5, 'HTTP 503', 503, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:05:00.000000Z', '2026-01-01T00:05:00.000000Z')
                """)
            let text = try grace.run(["alerts", "list", "--status", "failed"])
            #expect(text.status == 0)
            #expect(text.stdout.contains("failed  boot_failed:run_1  https://hooks.example#1a2b3c4d  attempts 5  HTTP 503"))
            #expect(text.stdout.contains("Boot run_1 failed") && text.stdout.contains("last error: HTTP 503"))
            let json = try grace.run(["alerts", "list", "--json"])
            let line = try #require(json.stdout.split(separator: "\n").first)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["event_key"] as? String == "boot_failed:run_1" && object["attempts"] as? Int == 5 && object["last_http_status"] as? Int == 503)
            #expect(try grace.run(["alerts", "list", "--status", "sent"]).status == 2)
        }
    }
}
