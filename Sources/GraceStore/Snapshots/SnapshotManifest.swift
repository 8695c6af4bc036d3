import GraceCore

/// `manifest.json` of a snapshot folder: what was copied, from where, and its SHA-256.
public struct SnapshotManifest: Sendable, Equatable, Codable {
    public struct File: Sendable, Equatable, Codable {
        /// What the file is, which decides how it is copied and restored.
        public enum Kind: String, Sendable, Codable { case database, settings, knowledgeBase = "knowledge_base" }
        /// `copied`: a consistent copy; `absent`: there was no file (restore removes it);
        /// `damaged`: the database could not be opened, its raw bytes were kept as evidence.
        public enum State: String, Sendable, Codable { case copied, absent, damaged }

        public var name: String
        /// Where the file lives (absolute).
        public var originalPath: String
        public var kind: Kind
        public var state: State
        public var sha256: String?
        public var bytes: Int?
        /// How the copy was taken (`locked_copy`, `backup_api`, `raw_copy`).
        public var method: String?

        enum CodingKeys: String, CodingKey {
            case name, originalPath = "original_path", kind, state, sha256, bytes, method
        }
    }

    public var snapshotID: String
    public var bootID: String?
    public var createdAt: String
    public var reason: String
    public var gitSHA: String?
    public var settingsHash: String?
    public var platform: String
    public var files: [File]

    enum CodingKeys: String, CodingKey {
        case snapshotID = "snapshot_id", bootID = "boot_id", createdAt = "created_at", reason, gitSHA = "git_sha"
        case settingsHash = "settings_hash", platform, files
    }

    /// Whether every database in the snapshot was a healthy, consistent copy (or absent).
    public var databasesHealthy: Bool {
        files.filter { $0.kind == .database }.allSatisfy { $0.state != .damaged }
    }
}
