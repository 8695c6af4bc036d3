extension Duration {
    /// The duration in milliseconds, with sub-millisecond precision (for `duration_ms` fields).
    public var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
