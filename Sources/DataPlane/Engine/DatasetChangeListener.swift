import AnalyticsCore
import Logging
import MetadataStore
import ServiceLifecycle

/// Reacts to registry changes (from this process or another replica) on the data plane: the engine
/// forgets the changed dataset's record and cached results, and its connector is closed when it
/// leaves `active`.
///
/// This is what makes a change visible at once: without it, the engine sees it when its dataset
/// record expires (``EngineConfiguration/datasetCacheTTL``), and since the dataset version is part
/// of the result-cache key, old results are never served past that.
public final class DatasetChangeListener: Service, Sendable {
    let feed: ChangeFeed
    let engine: QueryEngine
    let logger: Logger

    public init(feed: ChangeFeed, engine: QueryEngine, logger: Logger) {
        self.feed = feed
        self.engine = engine
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
        case .datasetCreated, .datasetUpdated, .datasetTransitioned:
            self.engine.invalidate(datasetID: datasetID, version: event.payload["version"]?.intValue.map { Int($0) })
            // Only a move *out of* active closes the connector: onboarding moves between other
            // states keep it, since the profiler may be using it.
            let active = LifecycleState.active.rawValue
            let leftActive =
                event.kind == .datasetTransitioned && event.payload["from"]?.stringValue == active && event.payload["to"]?.stringValue != active
            if leftActive { self.engine.connectors.remove(datasetID: datasetID) }
            self.logger.debug(
                "dataset changed",
                metadata: [
                    "mcpa.dataset": "\(datasetID)", "mcpa.event": "\(event.kind.rawValue)", "mcpa.connector.closed": "\(leftActive)",
                ]
            )
        default:
            return
        }
    }
}
