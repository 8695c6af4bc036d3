import Foundation
import Testing

extension EndToEnd {
    /// Issue 14: a PostgreSQL that does not answer fails the boot within the documented call
    /// deadline (8 s), not the migrations' 60 s, and what the failure leaves behind (report, logs,
    /// output) names neither the database user nor its host and port. No PostgreSQL server needed.
    @Suite(.serialized) struct StoreDeadlineTests {
        /// A loopback TCP port in the state the test asks for: nobody listening (connections are
        /// refused), or a socket that completes the handshake and never says a word.
        final class Port: @unchecked Sendable {
            let number: Int
            private let socket: Int32?

            init(silent: Bool) throws {
                let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = 0
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                let bound = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                guard bound == 0 else { close(descriptor); throw POSIXError(.init(rawValue: errno) ?? .EADDRINUSE) }
                var length = socklen_t(MemoryLayout<sockaddr_in>.size)
                _ = withUnsafeMutablePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
                }
                number = Int(UInt16(bigEndian: address.sin_port))
                if silent {
                    // The kernel accepts connections into the backlog; nothing is ever read or written.
                    guard listen(descriptor, 64) == 0 else { close(descriptor); throw POSIXError(.init(rawValue: errno) ?? .EIO) }
                    socket = descriptor
                } else {
                    // Bound but not listening, then closed: a port nobody listens on.
                    close(descriptor)
                    socket = nil
                }
            }

            deinit { if let socket { close(socket) } }
        }

        static let user = "dbuser-" + UUID().uuidString.prefix(8).lowercased()

        @Test(arguments: [("refused", false), ("silent", true)], ["boot", "up"])
        func anUnreachablePostgreSQLFailsWithinTheDeadline(port kind: (name: String, silent: Bool), command: String) async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let port = try Port(silent: kind.silent)
            let environment = ["GRACE_DATABASE_URL": "postgres://\(Self.user):pw-\(Self.user)@127.0.0.1:\(port.number)/grace?sslmode=disable"]
            let started = ContinuousClock.now
            let result = try grace.run([command], extraEnvironment: environment)
            let elapsed = started.duration(to: .now)
            let output = result.stdout + result.stderr
            #expect(result.status != 0, "\(command) with a \(kind.name) PostgreSQL succeeded: \(output)")
            // The deadline is 8 s per call; the old migration wait was 60 s. Far enough from both to never flake.
            #expect(elapsed < .seconds(30), "\(command) with a \(kind.name) PostgreSQL took \(elapsed)")
            #expect(output.contains("postgresql is unavailable"), "\(output)")
            if kind.silent { #expect(output.contains("no answer within 8"), "\(output)") }
            withExtendedLifetime(port) {}

            // Nothing it left behind, which the API serves, names the user, the host and port or the password.
            var files: [(String, String)] = [("output", output)]
            for path in ["logs/last_boot_report.json", "logs/last_boot_report.txt", "logs/grace.jsonl"] {
                let url = grace.home.appendingPathComponent(path)
                if let text = try? String(contentsOf: url, encoding: .utf8) { files.append((path, text)) }
            }
            #expect(files.count > 1, "no report or log was written")
            for (name, text) in files {
                for leak in [Self.user, "127.0.0.1:\(port.number)", ":\(port.number)"] {
                    #expect(!text.contains(leak), "\(name) names \(leak)")
                }
            }
        }
    }
}
