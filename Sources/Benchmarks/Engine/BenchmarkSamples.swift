import DataPlane

/// Durations measured for one scenario, in milliseconds.
public struct BenchmarkSamples: Sendable, Hashable {
    public private(set) var milliseconds: [Double] = []

    public init() {}

    public mutating func append(_ duration: Duration) {
        self.milliseconds.append(duration.inMilliseconds)
    }

    /// The `q`-quantile (0…1) by nearest rank; 0 when empty.
    public func quantile(_ q: Double) -> Double {
        guard !self.milliseconds.isEmpty else { return 0 }
        let sorted = self.milliseconds.sorted()
        let rank = Int((q * Double(sorted.count - 1)).rounded())
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    public var median: Double { self.quantile(0.5) }
    public var count: Int { self.milliseconds.count }
}

/// Runs `body` and returns how long it took.
func measure(_ body: () async throws -> Void) async rethrows -> Duration {
    let start = ContinuousClock.now
    try await body()
    return ContinuousClock.now - start
}
