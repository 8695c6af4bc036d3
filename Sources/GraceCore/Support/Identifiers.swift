import Foundation

/// Generates the prefixed identifiers Grace hands out (`run_…`, `req_…`, `step_…`).
///
/// The shape (`prefix_` + 12 lowercase hex digits) follows the original system's request ids,
/// so log searches and clients written against it keep working.
public enum Identifier {
    /// A new identifier such as `run_3f9a0c12be47`.
    public static func make(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() & 0xFFFF_FFFF_FFFF
        let hex = String(value, radix: 16)
        return prefix + "_" + String(repeating: "0", count: 12 - hex.count) + hex
    }

    public static func run() -> String { make(prefix: "run") }
    public static func step() -> String { make(prefix: "step") }
    public static func request() -> String { make(prefix: "req") }
    public static func verification() -> String { make(prefix: "ver") }
    public static func approval() -> String { make(prefix: "apr") }
    public static func snapshot() -> String { make(prefix: "snap") }
}
