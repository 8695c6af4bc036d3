import Foundation
import GraceCore

/// Creates the data folder layout on first use, and tells read-only commands whether a home is there.
public enum GraceHome {
    /// A home folder that cannot be created or written.
    public struct PreparationError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Creates every folder of the layout (idempotent).
    public static func prepare(_ layout: GraceHomeLayout) throws {
        for directory in [layout.root] + layout.directories {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw PreparationError(description: "cannot create \(directory): \(error.localizedDescription)")
            }
        }
        guard FileManager.default.isWritableFile(atPath: layout.root) else {
            throw PreparationError(description: "\(layout.root) is not writable")
        }
    }

    /// A home a command needs but cannot find; nothing was created.
    public struct MissingHomeError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Whether `layout`'s folder exists (a home before its first boot may hold nothing yet). Creates nothing.
    /// - Parameter origin: where `GRACE_HOME` came from (`--home`, `environment`, a `.env` file), named in the error.
    /// - Throws: ``MissingHomeError`` naming the path when there is no folder there.
    public static func requireFolder(_ layout: GraceHomeLayout, origin: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: layout.root, isDirectory: &isFolder) else {
            throw MissingHomeError(description: "no Grace home at \(layout.root): the folder does not exist \(advice(origin))")
        }
        guard isFolder.boolValue else {
            throw MissingHomeError(description: "no Grace home at \(layout.root): it is a file, not a folder \(advice(origin))")
        }
    }

    /// Whether `layout` is a Grace home: a folder holding its `.env` or one of the folders a boot
    /// makes (``GraceHomeLayout/directories``). Creates nothing.
    /// - Throws: ``MissingHomeError`` naming the path when the folder is missing or holds none of them.
    public static func requireExisting(_ layout: GraceHomeLayout, origin: String) throws {
        try requireFolder(layout, origin: origin)
        let markers = [layout.envFile] + layout.directories
        guard markers.contains(where: { FileManager.default.fileExists(atPath: $0) }) else {
            let names = markers.map { String($0.dropFirst(layout.root.count + 1)) }.joined(separator: ", ")
            throw MissingHomeError(description: "no Grace home at \(layout.root): the folder holds none of \(names) \(advice(origin))")
        }
    }

    private static func advice(_ origin: String) -> String {
        "(GRACE_HOME from \(origin)); check --home or GRACE_HOME, or create the home with `grace up` or `grace boot`"
    }
}
