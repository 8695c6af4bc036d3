import Foundation
import GraceCore

/// Creates the data folder layout on first use.
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
}
