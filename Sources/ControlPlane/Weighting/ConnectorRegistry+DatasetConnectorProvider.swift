import AnalyticsCore
import DataPlane

extension ConnectorRegistry: DatasetConnectorProvider {
    /// Lends the dataset's connector through its circuit breaker.
    public func withConnector<T: Sendable>(for dataset: Dataset, _ body: (any DatasetConnector) async throws -> T) async throws -> T {
        try await self.execute(dataset: dataset, body)
    }
}
