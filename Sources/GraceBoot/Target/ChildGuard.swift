import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The small process between Grace and a supervised service (`grace supervise-child`), so that
/// no service outlives Grace, even a Grace killed with SIGKILL.
///
/// It starts the command in a new process group and waits for it. It ends the whole group
/// (SIGTERM, then SIGKILL after the stop timeout) when it gets SIGTERM or SIGINT, and when its
/// standard input, a pipe Grace holds open, reaches end of file: the kernel closes that pipe
/// however Grace ends. Linux's PR_SET_PDEATHSIG cannot do this from Swift: it needs code between
/// fork and exec, and it fires when the forking thread ends rather than the process.
public enum ChildGuard {
    /// The hidden subcommand of `grace` that runs the guard.
    public static let commandName = "supervise-child"

    /// Runs `arguments` (an executable path and its arguments) under the guard; returns the
    /// exit status to exit with (the command's, or 128 + its signal).
    public static func run(arguments: [String], stopTimeout: Int) -> Int32 {
        guard let executable = arguments.first else { return 2 }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGTERM)
        sigaddset(&defaultSignals, SIGINT)
        sigaddset(&defaultSignals, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        // Swift's worker threads block most signals; the service must start with none blocked.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The service must not hold the lifeline: give it /dev/null as standard input.
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)

        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard spawned == 0 else {
            FileHandle.standardError.write(Data("grace supervise-child: cannot start \(executable): \(String(cString: strerror(spawned)))\n".utf8))
            return 127
        }
        let group = pid
        let terminator = GroupTerminator(group: group, stopTimeout: stopTimeout)
        let sources = [SIGTERM, SIGINT].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { terminator.terminate() }
            source.resume()
            return source
        }
        let lifeline = Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(0, &byte, 1)
                if count == 0 || (count < 0 && errno != EINTR) { break }
            }
            terminator.terminate()
        }
        lifeline.start()

        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        sources.forEach { $0.cancel() }
        // Whatever the service left behind in its group goes with it.
        kill(-group, SIGKILL)
        let exitCode = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return exitCode
    }
}

/// Ends a process group once: SIGTERM now, SIGKILL after the stop timeout.
private final class GroupTerminator: Sendable {
    let group: pid_t
    let stopTimeout: Int
    private let started = Mutex(false)

    init(group: pid_t, stopTimeout: Int) {
        self.group = group
        self.stopTimeout = stopTimeout
    }

    func terminate() {
        guard started.withLock({ was in defer { was = true }; return !was }) else { return }
        kill(-group, SIGTERM)
        let group = group
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(stopTimeout)) { kill(-group, SIGKILL) }
    }
}
