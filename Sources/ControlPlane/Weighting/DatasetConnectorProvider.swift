import AnalyticsCore
import DataPlane

/// Lends a dataset's live connector for the length of `body`.
///
/// The connector registry is the production provider (through each dataset's circuit breaker);
/// the weighting service needs nothing more, so it depends on this instead of the registry itself.
public protocol DatasetConnectorProvider: Sendable {
    func withConnector<T: Sendable>(for dataset: Dataset, _ body: (any DatasetConnector) async throws -> T) async throws -> T
}
