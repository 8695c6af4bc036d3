import Foundation
import Testing

extension EndToEnd {
    /// What an operator sees from the command line: homes that are not there, exit codes.
    @Suite("Operator command line")
    struct OperatorCommandTests {
        /// Commands that read a home; none of them may create one.
        static let readOnly: [[String]] = [
            ["stop"], ["approvals", "list"], ["approvals", "approve", "apr_none"], ["approvals", "reject", "apr_none"],
            ["audit", "verify"], ["audit", "tail"], ["dashboard"], ["logs"], ["patterns"], ["correlate", "run_none"],
            ["snapshot", "list"], ["snapshot", "restore", "snap_none"], ["settings"],
            ["store", "migrate", "--to", "postgres://grace@127.0.0.1:1/grace"],
        ]

        @Test func readOnlyCommandsOnAMissingHomeExitTwoNamingItAndCreateNothing() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let missing = grace.home.appendingPathComponent("mistyped-home")
            for command in Self.readOnly {
                for (arguments, environment) in [(command + ["--home", missing.path], [String: String]()),
                                                 (command, ["GRACE_HOME": missing.path])] {
                    let result = try grace.run(arguments, extraEnvironment: environment)
                    #expect(result.status == 2, "\(arguments): \(result.stdout)\(result.stderr)")
                    #expect(result.stderr.contains("no Grace home at \(missing.path)"), "\(arguments): \(result.stderr)")
                    #expect(!FileManager.default.fileExists(atPath: missing.path), "\(arguments) created \(missing.path)")
                }
            }
            // Unset, GRACE_HOME is ./grace-home: the error says the path came from the default.
            var unset = grace
            unset.environment["GRACE_HOME"] = nil
            let stop = try unset.run(["stop"])
            #expect(stop.status == 2 && stop.stderr.contains("no Grace home at \(grace.home.path)/grace-home"), "\(stop.stderr)")
            #expect(stop.stderr.contains("the default"), "\(stop.stderr)")
            #expect(!FileManager.default.fileExists(atPath: grace.home.appendingPathComponent("grace-home").path))
            // The home folder itself is empty: no command above wrote into it.
            #expect(try FileManager.default.contentsOfDirectory(atPath: grace.home.path).isEmpty)

            // A folder that is no Grace home (nothing Grace makes in it) is refused too, and stays empty.
            let other = grace.home.appendingPathComponent("not-a-home")
            try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
            let approvals = try grace.run(["approvals", "list", "--home", other.path])
            #expect(approvals.status == 2 && approvals.stderr.contains("no Grace home at \(other.path)"), "\(approvals.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: other.path).isEmpty)

            // The commands that make a home still do.
            let boot = try grace.run(["boot", "--profile", "basic", "--home", missing.path])
            #expect(boot.status == 0, "\(boot.stdout)\(boot.stderr)")
            let after = try grace.run(["approvals", "list", "--home", missing.path])
            #expect(after.status == 0 && after.stdout.contains("no pending approvals"), "\(after.stdout)\(after.stderr)")
        }

        @Test func badCommandLineInputExitsTwoWithArgumentParsersMessage() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let cases: [([String], String)] = [
                (["no-such-command"], "no-such-command"), (["stop", "--bogus"], "--bogus"), (["boot", "--profile", "nonsense"], "nonsense"),
                (["approvals", "list", "--status", "maybe"], "--status must be"), (["audit", "tail", "-n", "0"], "--count must be at least 1"),
                (["correlate"], "run-id"), (["stop", "--timeout", "soon"], "soon"),
            ]
            for (arguments, named) in cases {
                let result = try grace.run(arguments)
                #expect(result.status == 2, "\(arguments): \(result.status) \(result.stderr)")
                #expect(result.stderr.contains("Error:") && result.stderr.contains(named), "\(arguments): \(result.stderr)")
                #expect(result.stderr.contains("Usage:") || result.stderr.contains("--help"), "\(arguments): \(result.stderr)")
            }
            // Help and the version are no errors.
            let help = try grace.run(["approvals", "list", "--help"])
            #expect(help.status == 0 && help.stdout.contains("USAGE:"), "\(help.stdout)")
            #expect(try grace.run(["--version"]).status == 0)
            // Nothing of the above made a home in the (empty) folder.
            #expect(try FileManager.default.contentsOfDirectory(atPath: grace.home.path).isEmpty)
        }
    }
}
