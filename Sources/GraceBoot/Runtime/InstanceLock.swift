import Foundation
import GraceCore

/// One Grace per home: an exclusive `flock` on `grace.pid`, held for the life of the process.
///
/// The lock dies with the process, so a crash never leaves a stale lock; a `grace.pid` file found
/// unlocked at start means the previous run did not shut down cleanly.
public final class InstanceLock: Sendable {
    public let path: String
    private let descriptor: Int32
    /// The previous holder left its file behind without releasing it cleanly.
    public let previousRunWasUnclean: Bool

    /// Takes the lock or throws ``BootError/alreadyRunning(pid:path:)`` naming the holder.
    public init(path: String) throws {
        self.path = path
        let existed = FileManager.default.fileExists(atPath: path)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw BootError.lockUnavailable(path: path, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readPID(path) ?? 0
            close(descriptor)
            throw BootError.alreadyRunning(pid: holder, path: path)
        }
        self.descriptor = descriptor
        // A clean exit removes the file, so an unlocked file that is present and non-empty is a leftover.
        previousRunWasUnclean = existed && !(Self.readContents(path) ?? "").isEmpty
        write(pid: getpid(), port: nil)
    }

    /// Records the pid (and the port once listening) for `grace stop` and clients.
    public func write(pid: Int32, port: Int?) {
        var text = "\(pid)\n"
        if let port { text += "port=\(port)\n" }
        ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    /// Removes the file and releases the lock (a clean shutdown).
    public func release() {
        unlink(path)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// The pid in a lock file, if any.
    public static func readPID(_ path: String) -> Int32? {
        readContents(path)?.split(separator: "\n").first.flatMap { Int32($0) }
    }

    /// The port a running server wrote, if any.
    public static func readPort(_ path: String) -> Int? {
        readContents(path)?.split(separator: "\n").first { $0.hasPrefix("port=") }.flatMap { Int($0.dropFirst(5)) }
    }

    /// Whether some process holds the lock right now.
    public static func isHeld(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return true
    }

    private static func readContents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }
}
