import AnalyticsCore
import MetadataStore
import Synchronization

/// The datasets the engine has looked up recently, so a query does not pay a registry round trip.
///
/// A registry read costs about half a millisecond (SQLite) or a network round trip (PostgreSQL) —
/// more than everything else the engine adds to a query. Entries (found or not) are reused for at
/// most ``maxAge`` and dropped at once by ``invalidate(_:)``, which the ``DatasetChangeListener``
/// calls for every change event of the dataset (from this process or another replica). A change
/// is therefore seen as soon as its event arrives and never later than ``maxAge``.
final class DatasetDirectory: Sendable {
    private struct Entry {
        var dataset: Dataset?
        var loadedAt: ContinuousClock.Instant
        /// Bumped by ``invalidate(_:)`` so a load that started before it cannot store stale data.
        var generation: UInt64
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var generations: [String: UInt64] = [:]
    }

    let registry: any DatasetRegistry
    let maxAge: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state = Mutex(State())

    init(registry: any DatasetRegistry, maxAge: Duration, now: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.registry = registry
        self.maxAge = maxAge
        self.now = now
    }

    /// The dataset as of at most ``maxAge`` ago (or fresh from the registry).
    func dataset(id: String) async throws -> Dataset? {
        guard self.maxAge > .zero else { return try await self.registry.dataset(id: id) }
        let now = self.now()
        let (cached, generation) = self.state.withLock { state -> (Entry?, UInt64) in
            let generation = state.generations[id, default: 0]
            guard let entry = state.entries[id], entry.generation == generation, now - entry.loadedAt < self.maxAge else {
                return (nil, generation)
            }
            return (entry, generation)
        }
        if let cached { return cached.dataset }
        let dataset = try await self.registry.dataset(id: id)
        self.state.withLock { state in
            guard state.generations[id, default: 0] == generation else { return }
            state.entries[id] = Entry(dataset: dataset, loadedAt: now, generation: generation)
        }
        return dataset
    }

    /// Forgets one dataset, so the next query reads it from the registry.
    func invalidate(_ id: String) {
        self.state.withLock { state in
            state.generations[id, default: 0] &+= 1
            state.entries[id] = nil
        }
    }
}
