import ArgumentParser
import Foundation
import GraceBoot
import GraceCore

struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop the Grace server running on this home (SIGTERM, then wait for a clean exit).")

    @OptionGroup var options: GlobalOptions
    @Option(help: "Seconds to wait for a clean exit.") var timeout = 30

    func run() throws {
        let runtime = try Runtime.start(options, label: "grace.stop", console: false, home: .existing)
        let path = runtime.layout.pidFile
        guard InstanceLock.isHeld(path), let pid = InstanceLock.readPID(path), pid > 0 else {
            print("Grace is not running on \(runtime.layout.root)")
            return
        }
        guard kill(pid, SIGTERM) == 0 else {
            printError("cannot signal pid \(pid): \(String(cString: strerror(errno)))")
            throw GraceExit.failure
        }
        let deadline = Date().addingTimeInterval(TimeInterval(timeout))
        while InstanceLock.isHeld(path) && Date() < deadline { usleep(50_000) }
        if InstanceLock.isHeld(path) {
            printError("pid \(pid) is still running after \(timeout) s")
            throw GraceExit.failure
        }
        print("stopped Grace (pid \(pid))")
    }
}
