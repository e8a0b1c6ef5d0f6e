import AnalyticsCore
import DataPlane

/// Lends a live connector for a dataset for the duration of a piece of work.
///
/// The server lends the ``DataPlane/ConnectorRegistry``'s pooled connector; command-line tools and
/// tests may open a private one and close it afterwards.
public protocol DatasetConnectorProvider: Sendable {
    func withConnector<T: Sendable>(for dataset: Dataset, _ body: (any DatasetConnector) async throws -> T) async throws -> T
}
