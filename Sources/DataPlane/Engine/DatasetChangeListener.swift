import AnalyticsCore
import Logging
import MetadataStore
import ServiceLifecycle

/// Reacts to registry changes (from this process or another replica) on the data plane: drops a
/// changed dataset's cached results and closes its connector when it leaves `active`.
///
/// Correctness does not depend on it — every query reads the dataset's current state and version,
/// and the version is part of the cache key — but it frees memory and connections at once instead
/// of when entries expire or the next query comes.
public final class DatasetChangeListener: Service, Sendable {
    let feed: ChangeFeed
    let cache: ResultCache
    let connectors: ConnectorRegistry
    let logger: Logger

    public init(feed: ChangeFeed, cache: ResultCache, connectors: ConnectorRegistry, logger: Logger) {
        self.feed = feed
        self.cache = cache
        self.connectors = connectors
        var logger = logger
        logger[metadataKey: "mcpa.component"] = "dataset-change-listener"
        self.logger = logger
    }

    /// Handles events until graceful shutdown; register it after the feed so it stops first.
    public func run() async throws {
        let events = self.feed.subscribe()
        await cancelWhenGracefulShutdown {
            for await event in events {
                self.handle(event)
            }
        }
        // The feed may end first (it stopped); stay up until the group shuts down.
        try? await gracefulShutdown()
    }

    /// Applies one event (public so that a caller writing to the store can apply it immediately).
    public func handle(_ event: ChangeEvent) {
        guard let datasetID = event.datasetID else { return }
        switch event.kind {
        case .datasetUpdated, .datasetTransitioned:
            let purged = self.cache.purge(datasetID: datasetID)
            let leftActive = event.kind == .datasetTransitioned && event.payload["to"]?.stringValue != LifecycleState.active.rawValue
            if leftActive { self.connectors.remove(datasetID: datasetID) }
            self.logger.debug(
                "dataset changed",
                metadata: [
                    "mcpa.dataset": "\(datasetID)", "mcpa.event": "\(event.kind.rawValue)",
                    "mcpa.cache.purged": "\(purged)", "mcpa.connector.closed": "\(leftActive)",
                ]
            )
        default:
            return
        }
    }
}
