import Foundation
import GraceCore
import GraceLog
import GraceStore
import Logging
import Synchronization

/// Starts the HTTP server (and its companion services) during `grace up`'s bring-up stage.
public protocol ServiceLauncher: Sendable {
    /// Starts serving and returns the base URL once the server listens.
    func start(context: BootContext) async throws -> URL
    /// Stops what `start` started (before a rollback replaces the database files).
    func stop() async
}

/// What the boot stages share: settings, paths, the store once opened, and what earlier stages learned.
public final class BootContext: Sendable {
    /// Whether the boot is followed by serving (`grace up`) or stands alone (`grace boot`).
    public enum Mode: String, Sendable { case boot, up }

    public let settings: GraceSettings
    /// Raw setting values with their origins (secrets checks read these).
    public let values: [String: SettingValue]
    public let layout: GraceHomeLayout
    public let runID: String
    public let mode: Mode
    public let logger: Logger
    public let launcher: (any ServiceLauncher)?
    public let uncleanShutdown: Bool
    /// The log file sink, when logging goes to the home's log file (the codec check reads it back).
    public let logSink: LogFileSink?
    /// Keeps the user's service running under `grace up` (nil without a target, or under `grace boot`).
    public let targetSupervisor: TargetSupervisor?
    /// The `grace` executable that guards a target's process group (see ``ChildGuard``); nil runs
    /// the target without a guard, so it would outlive a Grace killed with SIGKILL.
    public let guardExecutable: String?

    struct State {
        var store: (any GraceStoreBackend)?
        var playbooks: [Playbook] = []
        var safeMode = true
        var serverURL: URL?
        var snapshot: SnapshotManifest?
        var snapshotProblem: String?
        var earlierFindings: [Finding] = []
        var stopRequested = false
        var deferredSettling: [@Sendable (GraceRepositories?) async -> Void] = []
    }

    let state = Mutex(State())

    public init(settings: GraceSettings, values: [String: SettingValue], runID: String = Identifier.run(), mode: Mode,
                logger: Logger, launcher: (any ServiceLauncher)? = nil, uncleanShutdown: Bool = false,
                logSink: LogFileSink? = nil, targetSupervisor: TargetSupervisor? = nil, guardExecutable: String? = nil) {
        self.settings = settings
        self.values = values
        self.layout = GraceHomeLayout(root: settings.home)
        self.runID = runID
        self.mode = mode
        self.logger = logger
        self.launcher = launcher
        self.uncleanShutdown = uncleanShutdown
        self.logSink = logSink
        self.targetSupervisor = targetSupervisor
        self.guardExecutable = guardExecutable
    }

    /// The supervised service's settings, when one is configured.
    public var target: TargetSettings? { settings.target }

    /// The target's files that pre-boot snapshots cover: its databases and its env file.
    public var targetFiles: [SnapshotStore.CoveredFile] {
        target.map(SnapshotStore.CoveredFile.files(of:)) ?? []
    }

    /// The snapshots of this home, covering the supervised service's files too.
    public var snapshots: SnapshotStore { SnapshotStore(layout: layout, target: target) }

    /// Keeps fixes' settlements until the store opens, so their verification and outcome are stored.
    func deferSettling(_ settlements: [@Sendable (GraceRepositories?) async -> Void]) {
        state.withLock { $0.deferredSettling += settlements }
    }

    /// Runs the kept settlements once the store is open; with `force`, also without one (the boot
    /// ends without a store: they are logged and counted in the knowledge base only).
    func settleDeferredFixes(force: Bool = false) async {
        let repositories = store?.repositories
        guard repositories != nil || force else { return }
        let settlements = state.withLock { state in
            defer { state.deferredSettling = [] }
            return state.deferredSettling
        }
        for settle in settlements { await settle(repositories) }
    }

    /// The store, once the schema stage has opened it.
    public var store: (any GraceStoreBackend)? { state.withLock { $0.store } }

    /// The store, or a stage failure explaining that an earlier stage did not open it.
    public func requireStore() throws -> any GraceStoreBackend {
        guard let store else { throw BootError.storeNotOpen }
        return store
    }

    /// Opens the store (running migrations) if it is not open yet: the home's SQLite files, or
    /// the shared PostgreSQL database when `GRACE_DATABASE_URL` is set.
    @discardableResult
    public func openStore() async throws -> any GraceStoreBackend {
        if let store { return store }
        let opened = try await GraceStoreFactory.open(settings: settings, layout: layout, logger: logger)
        state.withLock { $0.store = opened }
        return opened
    }

    /// Closes the store (before a restore replaces its files).
    public func closeStore() async {
        let store = state.withLock { state -> (any GraceStoreBackend)? in
            defer { state.store = nil }
            return state.store
        }
        do {
            try await store?.shutdown()
        } catch {
            logger.error("closing the store failed", metadata: ["subsystem": "store", "error": "\(error)"])
        }
    }

    public var playbooks: [Playbook] {
        get { state.withLock { $0.playbooks } }
        set { state.withLock { $0.playbooks = newValue } }
    }

    /// False once the full service bring-up has left safe mode.
    public var safeMode: Bool {
        get { state.withLock { $0.safeMode } }
        set { state.withLock { $0.safeMode = newValue } }
    }

    public var serverURL: URL? {
        get { state.withLock { $0.serverURL } }
        set { state.withLock { $0.serverURL = newValue } }
    }

    public var snapshot: SnapshotManifest? {
        get { state.withLock { $0.snapshot } }
        set { state.withLock { $0.snapshot = newValue } }
    }

    /// Why the pre-boot snapshot could not be taken, when it could not.
    public var snapshotProblem: String? {
        get { state.withLock { $0.snapshotProblem } }
        set { state.withLock { $0.snapshotProblem = newValue } }
    }

    /// Warnings of earlier stages, which the startup-playbooks stage tries to heal.
    public var earlierFindings: [Finding] {
        get { state.withLock { $0.earlierFindings } }
        set { state.withLock { $0.earlierFindings = newValue } }
    }

    /// True once someone asked Grace to stop (SIGTERM, SIGINT) while it boots: the pipeline runs
    /// no further stage and does not roll back, since nothing failed on its own.
    public var stopRequested: Bool { state.withLock { $0.stopRequested } }

    /// Asks the boot to stop after the current stage.
    public func requestStop() {
        state.withLock { $0.stopRequested = true }
    }

    /// The value of a setting or secret: process environment first, then the `.env` files.
    public func value(of key: String) -> String? {
        values[key]?.value
    }
}

/// Errors of the boot machinery itself.
public enum BootError: Error, CustomStringConvertible {
    case storeNotOpen
    case alreadyRunning(pid: Int32, path: String)
    case lockUnavailable(path: String, reason: String)

    public var description: String {
        switch self {
        case .storeNotOpen: "the store is not open (an earlier stage failed to open it)"
        case .alreadyRunning(let pid, let path): "Grace is already running on this home (pid \(pid), \(path)); use `grace stop` first"
        case .lockUnavailable(let path, let reason): "cannot lock \(path): \(reason)"
        }
    }
}
