import AnalyticsCore
import ControlPlane
import MetadataStore

/// The active datasets as MCP clients see them, and a search index over their documentation.
///
/// Every tool call needs the active datasets (for `dataset_id` checks), so the list is kept for at
/// most ``listMaxAge`` and dropped at once by ``invalidate()``, which the registry watcher calls on
/// every dataset change event before it announces `list_changed`: a change in this process or
/// another is seen within the change feed's delay, as the query engine sees it (DESIGN §5.4).
/// Reading and decoding every active dataset per call was a fifth of the MCP path's CPU. The search
/// index also needs every profile, so it is cached until the registry changes, the set of dataset
/// versions differs, or it is older than ``indexMaxAge``.
public actor DatasetCatalog {
    let registry: any DatasetRegistry
    let profiles: ProfileProvider
    public let indexMaxAge: Duration
    public let listMaxAge: Duration
    var active: (read: ContinuousClock.Instant, datasets: [Dataset])?
    var cached: (versions: [String: Int], built: ContinuousClock.Instant, index: DatasetSearchIndex)?

    public init(
        registry: any DatasetRegistry,
        profiles: @escaping ProfileProvider,
        indexMaxAge: Duration = .seconds(60),
        listMaxAge: Duration = .seconds(1)
    ) {
        self.registry = registry
        self.profiles = profiles
        self.indexMaxAge = indexMaxAge
        self.listMaxAge = listMaxAge
    }

    /// Active datasets, ordered by id. Every role may read the registry, so every caller sees them all.
    public func activeDatasets(for principal: Principal) async throws -> [Dataset] {
        try principal.require(.readRegistry)
        let now = ContinuousClock.now
        if let active, now - active.read < self.listMaxAge { return active.datasets }
        let datasets = try await self.registry.datasets(state: .active, tag: nil)
        self.active = (now, datasets)
        return datasets
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

    /// Drops the cached list and index; the next call reads the registry again.
    public func invalidate() {
        self.active = nil
        self.cached = nil
    }
}
