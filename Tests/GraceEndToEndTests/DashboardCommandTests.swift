import Foundation
import Testing

extension EndToEnd {
    @Suite("grace dashboard")
    struct DashboardCommandTests {
        @Test func dashboardFromTheStoreBeforeAndAfterABoot() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            // An empty folder is no Grace home; one with its .env is, before its first boot.
            let empty = try grace.run(["dashboard"])
            #expect(empty.status == 2 && empty.stderr.contains("no Grace home at \(grace.home.path)"), "\(empty.stderr)")
            try Data().write(to: grace.home.appendingPathComponent(".env"))
            let fresh = try grace.run(["dashboard", "--width", "80"])
            #expect(fresh.status == 0, "\(fresh.stderr)")
            #expect(fresh.stdout.contains("UNKNOWN"))
            #expect(fresh.stdout.contains("no boot report yet"))
            // Piped: no colours, and every line within the width.
            #expect(!fresh.stdout.contains("\u{1B}"))
            #expect(fresh.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })

            let boot = try grace.run(["boot", "--profile", "basic"])
            #expect(boot.status == 0, "\(boot.stdout)\(boot.stderr)")
            let after = try grace.run(["dashboard"])
            #expect(after.status == 0, "\(after.stderr)")
            #expect(after.stdout.contains("SUCCESS"))
            #expect(after.stdout.contains("preflight_gate"))
            #expect(after.stdout.contains("health score"))

            let json = try grace.run(["dashboard", "--json"])
            #expect(json.status == 0)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["boot_status"] as? String == "success")
            #expect(object["health_score"] is Int)
        }

        @Test func dashboardFromARunningServer() async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let server = try RunningGrace(grace)
            defer { _ = server.stop() }
            let url = "http://127.0.0.1:\(server.port)"
            let text = try grace.run(["dashboard", "--url", url])
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains("SUCCESS"))
            // Quick links point at the server.
            #expect(text.stdout.contains("\(url)/docs"))

            let json = try grace.run(["dashboard", "--url", url + "/", "--json"])
            #expect(json.status == 0, "\(json.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["boot_status"] as? String == "success")
        }

        @Test func unreachableOrWrongServerExitsTwoNamingTheURL() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            // A port that was free a moment ago: bind, read the port, close.
            let port = try Self.closedPort()
            let url = "http://127.0.0.1:\(port)"
            let closed = try grace.run(["dashboard", "--url", url])
            #expect(closed.status == 2)
            #expect(closed.stderr.contains("\(url)/api/startup/dashboard"), "\(closed.stderr)")
            #expect(closed.stdout.isEmpty)

            let invalid = try grace.run(["dashboard", "--url", "ftp://example"])
            #expect(invalid.status == 2 && invalid.stderr.contains("--url"))
            let badInterval = try grace.run(["dashboard", "--watch", "--interval", "0"])
            #expect(badInterval.status == 2 && badInterval.stderr.contains("--interval"))
        }

        @Test func watchRedrawsUntilInterrupted() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            try Data().write(to: grace.home.appendingPathComponent(".env"))
            let process = grace.makeProcess(["dashboard", "--watch", "--interval", "0.2"])
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(1_500_000)
            kill(process.processIdentifier, SIGINT)
            let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            // Not a terminal: frames follow each other, no cursor movement.
            #expect(printed.components(separatedBy: "Grace startup dashboard").count - 1 >= 2)
            #expect(!printed.contains("\u{1B}"))
        }

        static func closedPort() throws -> Int {
            #if os(Linux)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
            #endif
            guard fd >= 0 else { throw POSIXError(.EBADF) }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            guard bound else { throw POSIXError(.EADDRINUSE) }
            return Int(UInt16(bigEndian: address.sin_port))
        }
    }
}
