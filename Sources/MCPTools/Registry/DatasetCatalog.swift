import AnalyticsCore
import ControlPlane
import MetadataStore

/// The active datasets as MCP clients see them, and a search index over their documentation.
///
/// The dataset list is read from the store on every call (a cheap indexed read), so a dataset
/// activated by another process is visible to the next request. The search index also needs every
/// profile, so it is cached until the registry changes (``invalidate()``, driven by change events),
/// the set of dataset versions differs, or it is older than ``indexMaxAge``.
public actor DatasetCatalog {
    let registry: any DatasetRegistry
    let profiles: ProfileProvider
    public let indexMaxAge: Duration
    var cached: (versions: [String: Int], built: ContinuousClock.Instant, index: DatasetSearchIndex)?

    public init(registry: any DatasetRegistry, profiles: @escaping ProfileProvider, indexMaxAge: Duration = .seconds(60)) {
        self.registry = registry
        self.profiles = profiles
        self.indexMaxAge = indexMaxAge
    }

    /// Active datasets, ordered by id. Every role may read the registry, so every caller sees them all.
    public func activeDatasets(for principal: Principal) async throws -> [Dataset] {
        try principal.require(.readRegistry)
        return try await self.registry.datasets(state: .active, tag: nil)
    }

    public func profile(datasetID: String) async throws -> DatasetProfile? {
        try await self.profiles(datasetID)
    }

    /// The index over `datasets` (the caller's active datasets), rebuilt only when they changed.
    public func searchIndex(over datasets: [Dataset]) async throws -> DatasetSearchIndex {
        let versions = Dictionary(datasets.map { ($0.id, $0.version) }, uniquingKeysWith: { first, _ in first })
        let now = ContinuousClock.now
        if let cached, cached.versions == versions, now - cached.built < self.indexMaxAge {
            return cached.index
        }
        var entries: [(dataset: Dataset, profile: DatasetProfile?)] = []
        for dataset in datasets {
            entries.append((dataset, try await self.profiles(dataset.id)))
        }
        let index = DatasetSearchIndex(entries: entries)
        self.cached = (versions, now, index)
        return index
    }

    /// Drops the cached index; the next search rebuilds it.
    public func invalidate() {
        self.cached = nil
    }
}
