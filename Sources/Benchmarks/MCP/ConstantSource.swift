import AnalyticsServer
import Synchronization

/// Distinct constants for the run's statements, so no two calls share a cache entry. The random
/// base keeps a second run against the same server from meeting the first run's entries.
final class ConstantSource: Sendable {
    private let counter = Atomic<Int>(0)
    private let base = Int.random(in: 1...1_000_000) * 1_000_000

    func next() -> Int {
        self.base + self.counter.wrappingAdd(1, ordering: .relaxed).oldValue
    }
}
