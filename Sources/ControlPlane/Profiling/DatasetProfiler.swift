import AnalyticsCore
import DataPlane
import Foundation
import Logging

/// Profiles a dataset through its read-only connector: what tables and columns it has, what their
/// values look like, which columns are keys, weights, persona dimensions, event times and measures,
/// and which hold personal data (masked in everything it returns).
///
/// It works on PostgreSQL and SQLite datasets alike; every statement goes through
/// ``DataPlane/DatasetConnector`` (read-only transaction or connection, timeout per statement) with
/// values bound as parameters. Large tables are sampled so the cost of a run stays nearly flat as
/// tables grow (see ``ProfilerConfiguration``). The result is a ``DatasetProfile`` with version 0;
/// the store assigns the real version when it saves the snapshot.
public struct DatasetProfiler: Sendable {
    public var configuration: ProfilerConfiguration
    let logger: Logger

    public init(configuration: ProfilerConfiguration = ProfilerConfiguration(), logger: Logger) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "mcpa.component"] = "profiler"
        self.logger = logger
    }

    /// Profiles every table and view the connector's login can read (or those the configuration
    /// names), reporting progress once per table.
    ///
    /// Throws `INVALID_REQUEST` for a bad configuration, the connector's errors when the catalogue
    /// cannot be read (`DATASET_UNAVAILABLE`, `QUERY_TIMEOUT`, …), and `QUERY_CANCELLED` when the
    /// calling task is cancelled. A statistic that fails on one table only becomes a warning on that
    /// table.
    public func profile(_ connector: any DatasetConnector, progress: ProfileProgressHandler? = nil) async throws -> DatasetProfile {
        try self.configuration.validate()
        let started = ContinuousClock.now
        var logger = self.logger
        logger[metadataKey: "mcpa.dataset"] = "\(connector.datasetID)"
        let queries = ProfilingQueries(connector: connector, timeout: self.configuration.statementTimeout)

        await progress?(ProfileProgress(percent: 0, message: "Reading the catalogue"))
        let catalog = try await self.catalog(queries, kind: connector.kind, logger: logger)
        let tableProfiler = TableProfiler(backend: connector.kind, queries: queries, configuration: self.configuration, logger: logger)
        let assembler = TableAssembler()
        var profiled: [(catalog: CatalogTable, profile: TableProfile)] = []
        for (index, table) in catalog.enumerated() {
            if Task.isCancelled {
                throw AnalyticsError(.queryCancelled, "Profiling was cancelled.", hint: "Run it again when the answer is still needed.")
            }
            await progress?(
                ProfileProgress(
                    percent: 5 + 90 * index / max(1, catalog.count),
                    message: "Profiling \(table.qualifiedName) (\(index + 1) of \(catalog.count))",
                    table: table.qualifiedName
                )
            )
            let statistics = try await tableProfiler.profile(table)
            profiled.append((table, assembler.assemble(statistics)))
        }

        let (profiles, classification) = RoleClassifier().classify(profiled)
        let suggestion = WeightingSuggester().suggest(classification, profiles: profiles)
        let elapsed = ContinuousClock.now - started
        let seconds = elapsed.inSeconds
        logger.info("dataset profiled", metadata: ["mcpa.profile.tables": "\(profiles.count)", "mcpa.elapsed": "\(elapsed)"])
        await progress?(ProfileProgress(percent: 100, message: "Profiled \(profiles.count) tables"))
        return DatasetProfile(
            datasetID: connector.datasetID,
            version: 0,
            createdAt: Date(),
            backend: connector.kind.rawValue,
            tables: profiles,
            suggestedWeighting: suggestion,
            durationSeconds: seconds
        )
    }

    private func catalog(_ queries: ProfilingQueries, kind: ConnectionURL.Kind, logger: Logger) async throws -> [CatalogTable] {
        let tables: [CatalogTable]
        switch kind {
        case .postgres: tables = try await PostgresCatalogReader(queries: queries).tables(schemas: self.configuration.schemas)
        case .sqlite: tables = try await SQLiteCatalogReader(queries: queries, logger: logger).tables()
        }
        guard let wanted = self.configuration.tables else { return tables }
        return tables.filter { wanted.contains($0.name) || wanted.contains($0.qualifiedName) || wanted.contains("\($0.schema ?? "").\($0.name)") }
    }
}
