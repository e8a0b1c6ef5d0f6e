import AnalyticsCore
import DataPlane

/// The server lends the registry's pooled connector, through the dataset's circuit breaker: a run
/// against a database that is down fails fast, and only `DATASET_UNAVAILABLE` counts against it.
extension ConnectorRegistry: DatasetConnectorProvider {
    public func withConnector<T: Sendable>(for dataset: Dataset, _ body: (any DatasetConnector) async throws -> T) async throws -> T {
        try await self.execute(dataset: dataset, body)
    }
}
