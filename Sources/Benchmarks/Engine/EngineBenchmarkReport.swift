import DataPlane

/// What `mcp-analytics bench engine` measured: one line per figure, with its target.
public struct EngineBenchmarkReport: Sendable, Hashable {
    public struct Figure: Sendable, Hashable {
        /// e.g. `(a) weighted aggregate, guarded path`.
        public var name: String
        /// Median through the engine (or the measured value), in `unit`.
        public var value: Double
        /// The same work on raw PostgresNIO with the same settings, when there is a baseline.
        public var baseline: Double?
        public var unit: String
        /// e.g. `≤ 1 ms added`.
        public var target: String
        public var met: Bool?
        public var note: String?

        public var ratio: Double? {
            guard let baseline, baseline > 0 else { return nil }
            return self.value / baseline
        }
    }

    /// A setting or size the figures were measured with.
    public struct Setting: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    public var setup: [Setting]
    public var figures: [Figure]
}
