import Foundation
import GraceCore

/// A fresh Grace home in the system temp folder, removed when the test ends.
final class TemporaryHome {
    let url: URL
    var layout: GraceHomeLayout { GraceHomeLayout(root: url.path) }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("grace-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
