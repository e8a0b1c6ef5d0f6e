import AnalyticsCore
import Logging
import MetadataStore
import ServiceLifecycle

/// Watches the store's change events and reports when the set of active datasets changes — from
/// the REST API, the CLI, or another process sharing the store — so sessions can be told
/// `notifications/tools/list_changed` (dataset ids are an enum in the tool schemas).
///
/// Any dataset event also drops the catalog's search index, since documentation may have changed.
public final class ActiveDatasetWatcher: Service {
    let feed: ChangeFeed
    let registry: any DatasetRegistry
    let catalog: DatasetCatalog
    let onChange: @Sendable (_ active: [String]) async -> Void
    let logger: Logger

    public init(
        feed: ChangeFeed,
        registry: any DatasetRegistry,
        catalog: DatasetCatalog,
        logger: Logger,
        onChange: @escaping @Sendable (_ active: [String]) async -> Void
    ) {
        self.feed = feed
        self.registry = registry
        self.catalog = catalog
        self.onChange = onChange
        var logger = logger
        logger[metadataKey: "mcpa.component"] = "mcp-registry-watcher"
        self.logger = logger
    }

    public func run() async throws {
        let events = self.feed.subscribe()
        await self.feed.ready()
        let initial = await self.activeIDs() ?? []
        await cancelWhenGracefulShutdown {
            var active = initial
            for await event in events {
                guard event.kind.rawValue.hasPrefix("dataset.") else { continue }
                await self.catalog.invalidate()
                guard let now = await self.activeIDs() else { continue }
                if now != active {
                    self.logger.info(
                        "active datasets changed",
                        metadata: ["mcpa.datasets": "\(now.joined(separator: ","))", "mcpa.event": "\(event.id)"]
                    )
                    active = now
                    await self.onChange(now)
                }
            }
        }
    }

    /// `nil` when the store cannot answer now; the next event tries again.
    func activeIDs() async -> [String]? {
        do {
            return try await self.registry.datasets(state: .active, tag: nil).map(\.id).sorted()
        } catch {
            self.logger.warning(
                "cannot read active datasets",
                metadata: ["mcpa.error.code": "\((error as? AnalyticsError)?.code.rawValue ?? "unknown")"]
            )
            return nil
        }
    }
}
