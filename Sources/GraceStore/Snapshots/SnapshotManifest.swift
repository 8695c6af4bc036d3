import GraceCore

/// `manifest.json` of a snapshot folder: what was copied, from where, and its SHA-256.
public struct SnapshotManifest: Sendable, Equatable, Codable {
    public struct File: Sendable, Equatable, Codable {
        /// What the file is, which decides how it is copied and restored.
        public enum Kind: String, Sendable, Codable { case database, settings, knowledgeBase = "knowledge_base" }
        /// `copied`: a consistent copy; `absent`: there was no file (restore removes it);
        /// `damaged`: the database could not be opened, its raw bytes were kept as evidence.
        public enum State: String, Sendable, Codable { case copied, absent, damaged }
        /// What `path` is relative to: the home the snapshot belongs to, or the supervised
        /// service's folder.
        public enum Base: String, Sendable, Codable { case home, target }

        /// The file's name inside the snapshot folder, and the key a restore resolves its
        /// destination by (``SnapshotStore/coveredFiles``): never an absolute path, so a copied or
        /// moved home restores into itself.
        public var name: String
        /// Where the file lived, relative to `base` (absolute only for a service file outside its folder).
        public var path: String
        public var base: Base
        public var kind: Kind
        public var state: State
        public var sha256: String?
        public var bytes: Int?
        /// How the copy was taken (`locked_copy`, `backup_api`, `raw_copy`).
        public var method: String?
        /// For a database: whether the copy passed inspection when it was taken (nil in
        /// manifests written before this was recorded; retention then inspects the copy).
        public var healthy: Bool?
        /// The SHA-256 of the live main file when the copy is not byte-identical to it (taken with
        /// the backup API), so a rollback can tell the file is still as it was.
        public var sourceSHA256: String?
        /// The SHA-256 of the `-wal` that lay beside the database with content (left untouched).
        public var walSHA256: String?

        public init(name: String, path: String, base: Base, kind: Kind, state: State) {
            self.name = name
            self.path = path
            self.base = base
            self.kind = kind
            self.state = state
        }

        enum CodingKeys: String, CodingKey {
            case name, path, base, kind, state, sha256, bytes, method, healthy, sourceSHA256 = "source_sha256", walSHA256 = "wal_sha256"
        }

        /// Manifests before paths became relative held the absolute path under this key; it is read
        /// for display only and never used as a destination.
        enum LegacyKeys: String, CodingKey { case originalPath = "original_path" }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            path = try container.decodeIfPresent(String.self, forKey: .path)
                ?? decoder.container(keyedBy: LegacyKeys.self).decodeIfPresent(String.self, forKey: .originalPath) ?? name
            base = try container.decodeIfPresent(Base.self, forKey: .base) ?? (name.hasPrefix("target-") ? .target : .home)
            kind = try container.decode(Kind.self, forKey: .kind)
            state = try container.decode(State.self, forKey: .state)
            sha256 = try container.decodeIfPresent(String.self, forKey: .sha256)
            bytes = try container.decodeIfPresent(Int.self, forKey: .bytes)
            method = try container.decodeIfPresent(String.self, forKey: .method)
            healthy = try container.decodeIfPresent(Bool.self, forKey: .healthy)
            sourceSHA256 = try container.decodeIfPresent(String.self, forKey: .sourceSHA256)
            walSHA256 = try container.decodeIfPresent(String.self, forKey: .walSHA256)
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
        files.filter { $0.kind == .database }.allSatisfy { $0.state != .damaged && $0.healthy != false }
    }
}
