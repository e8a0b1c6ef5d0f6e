import AnalyticsCore
import DataPlane
import Foundation
import Logging
import MetadataStore

/// Weighting configs and personas of registered datasets (DESIGN §5.2), shared by the REST API, the
/// CLI and the MCP tools so all enforce the same rules and roles. Breakdowns run in the data plane
/// (``QueryEngine/breakdown(_:caller:)``), like every other query.
///
/// The config is stored in the registry as ``Dataset/weighting``: every change is a new dataset
/// version authored by the caller (so cached results keyed by version are invalidated and the
/// history shows who changed the weights). Named personas live inside that document
/// (`personas`), so they are versioned with the dimensions they refer to and checked against them.
public struct WeightingService: Sendable {
    let store: any MetadataStore
    let connectors: any DatasetConnectorProvider
    let logger: Logger

    public init(store: any MetadataStore, connectors: any DatasetConnectorProvider, logger: Logger) {
        self.store = store
        self.connectors = connectors
        self.logger = logger
    }

    /// The dataset's config, or `WEIGHTING_NOT_CONFIGURED`.
    public func config(_ id: String, by principal: Principal) async throws -> (dataset: Dataset, config: WeightingConfig) {
        try principal.require(.readRegistry)
        let dataset = try await self.dataset(id)
        return (dataset, try dataset.weightingConfig())
    }

    /// Checks `document` on its own and against the live database, then stores it as a new version.
    /// A config with problems is refused (`INVALID_WEIGHTING_CONFIG`, every problem in `details`);
    /// warnings come back with the stored config.
    public func setConfig(
        _ id: String,
        document: JSONValue,
        note: String? = nil,
        by principal: Principal
    ) async throws -> (dataset: Dataset, report: WeightingValidationReport) {
        try principal.require(.editMetadata)
        let config = try WeightingConfig(document: document)
        let dataset = try await self.dataset(id)
        let report = try await self.validate(config, on: dataset)
        guard report.isValid else { throw report.error }
        let stored = config.document
        let updated = try await self.store.updateDataset(id: id, actor: principal.id, note: note ?? "weighting config updated") { dataset in
            dataset.weighting = stored
        }
        self.logger.info(
            "weighting config stored",
            metadata: ["mcpa.dataset": "\(id)", "mcpa.principal": "\(principal.id)", "mcpa.version": "\(updated.version)"]
        )
        return (updated, report)
    }

    /// Checks a config against the dataset's live database without storing it.
    public func validate(_ config: WeightingConfig, on dataset: Dataset) async throws -> WeightingValidationReport {
        let timeout = Duration.milliseconds(dataset.settings.statementTimeoutMs)
        return try await self.connectors.withConnector(for: dataset) { connector in
            try await WeightingSchemaValidator(connector: connector, dialect: SQLDialect(dataset.connectionKind), timeout: timeout)
                .validate(config)
        }
    }

    func dataset(_ id: String) async throws -> Dataset {
        guard let dataset = try await self.store.dataset(id: id) else { throw AnalyticsError.datasetNotFound(id) }
        return dataset
    }
}
