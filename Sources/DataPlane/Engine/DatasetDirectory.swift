import AnalyticsCore
import MetadataStore
import Synchronization

/// The datasets the engine has looked up recently, so a query does not pay a registry round trip.
///
/// A registry read costs about half a millisecond (SQLite) or a network round trip (PostgreSQL) —
/// more than everything else the engine adds to a query. Records (found or not) are reused for at
/// most ``maxAge``. A change event tells the directory the dataset's new version
/// (``invalidate(_:version:)``): records older than that are dropped and never stored again, so a
/// change is seen as soon as its event arrives and never later than ``maxAge``, while a late event
/// for a version already read changes nothing.
final class DatasetDirectory: Sendable {
    private struct Entry {
        var dataset: Dataset?
        var loadedAt: ContinuousClock.Instant
        var generation: UInt64

        /// A missing dataset counts as version 0, so its creation event replaces it.
        var version: Int { self.dataset?.version ?? 0 }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// The newest version change events have announced, per dataset.
        var minimumVersions: [String: Int] = [:]
        /// Bumped by an invalidation without a version, so a read already under way is not stored.
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

    /// The dataset as of at most ``maxAge`` ago and no older than the last announced version.
    func dataset(id: String) async throws -> Dataset? {
        guard self.maxAge > .zero else { return try await self.registry.dataset(id: id) }
        let now = self.now()
        let (cached, generation) = self.state.withLock { state -> (Entry?, UInt64) in
            let generation = state.generations[id, default: 0]
            guard let entry = state.entries[id], entry.generation == generation, now - entry.loadedAt < self.maxAge,
                entry.version >= state.minimumVersions[id, default: 0]
            else { return (nil, generation) }
            return (entry, generation)
        }
        if let cached { return cached.dataset }
        let dataset = try await self.registry.dataset(id: id)
        self.state.withLock { state in
            let entry = Entry(dataset: dataset, loadedAt: now, generation: generation)
            guard state.generations[id, default: 0] == generation, entry.version >= state.minimumVersions[id, default: 0] else { return }
            state.entries[id] = entry
        }
        return dataset
    }

    /// Drops the record if it is older than `version`; without a version, drops it regardless.
    func invalidate(_ id: String, version: Int? = nil) {
        self.state.withLock { state in
            guard let version else {
                state.generations[id, default: 0] &+= 1
                state.entries[id] = nil
                return
            }
            state.minimumVersions[id] = max(state.minimumVersions[id, default: 0], version)
            if let entry = state.entries[id], entry.version < version { state.entries[id] = nil }
        }
    }
}
