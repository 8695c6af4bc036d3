import Foundation

/// Cuts a buffer of whole lines into parts that end at line ends, so the parts can be matched
/// apart (``ParallelMap``) and their results joined in order.
public enum LineSlices {
    /// No part is cut smaller than this: a part's edge cuts the lines of context around it (a
    /// diagnosis's error block), as a chunk's edge does, so only inputs of several MiB are cut.
    public static let smallestPart = 2 << 20

    /// Offsets `[0, ..., bytes.count]` cutting `bytes` into up to `parts` parts of about equal
    /// size, each but the last ending just after a newline; a buffer smaller than two
    /// ``smallestPart``s stays whole.
    public static func cuts(_ bytes: UnsafeRawBufferPointer, parts: Int) -> [Int] {
        var cuts = [0]
        let share = bytes.count / max(parts, 1) + 1
        while share >= smallestPart, cuts.count < parts, cuts.last! + share < bytes.count,
              let newline = memchr(bytes.baseAddress! + cuts.last! + share, 0x0A, bytes.count - cuts.last! - share) {
            cuts.append(bytes.baseAddress!.distance(to: UnsafeRawPointer(newline)) + 1)
        }
        if cuts.last! < bytes.count { cuts.append(bytes.count) }
        return cuts
    }
}
