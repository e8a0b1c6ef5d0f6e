import AnalyticsCore
import ControlPlane
import Foundation
import Logging
import MetadataStore

/// Makes `serve --demo` self-contained: creates the synthetic panel as a SQLite file in the data
/// directory and registers it, reviewed and active, with its weighting config — once. Later starts
/// leave the registration alone, so an operator's edits or deactivation stick.
public struct DemoBootstrap: Sendable {
    public static let datasetID = "demo"
    public static let fileName = "demo_panel.sqlite"

    let service: DatasetService
    let store: any MetadataStore
    let logger: Logger

    /// What `serve --demo` runs once the store is migrated (``ensure(dataDirectory:)`` as a closure
    /// the server calls before it accepts requests).
    public static func prepare(
        service: DatasetService,
        store: any MetadataStore,
        logger: Logger,
        dataDirectory: String
    ) -> @Sendable () async throws -> Void {
        { try await DemoBootstrap(service: service, store: store, logger: logger).ensure(dataDirectory: dataDirectory) }
    }

    public init(service: DatasetService, store: any MetadataStore, logger: Logger) {
        self.service = service
        self.store = store
        self.logger = logger
    }

    /// Ensures the demo file exists and the dataset is registered; returns the dataset.
    @discardableResult
    public func ensure(dataDirectory: String) async throws -> Dataset {
        let directory = URL(fileURLWithPath: dataDirectory).standardizedFileURL
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(Self.fileName).path
        let result = try DemoPanelWriter(logger: self.logger).ensureDemoDatabase(at: path)
        if result.created {
            self.logger.info("demo panel created", metadata: ["mcpa.path": "\(path)", "mcpa.demo.counts": "\(result.counts)"])
        }
        if let existing = try await self.store.dataset(id: Self.datasetID) {
            return existing
        }
        let principal = Principal.system
        // Registered reviewed and active right away; profiling and drafting follow as jobs.
        var service = self.service
        service.onboarding = nil
        _ = try await service.create(
            CreateDatasetRequest(
                id: Self.datasetID,
                name: DemoPanel.datasetName,
                description: DemoPanel.summary,
                connectionURL: "sqlite:" + path,
                tags: DemoPanel.tags,
                owner: "demo"
            ),
            by: principal
        )
        _ = try await self.store.updateDataset(id: Self.datasetID, actor: principal.id, note: "demo weighting config") { dataset in
            dataset.weighting = DemoPanel.weightingConfig
        }
        for state in [LifecycleState.metadataPending, .humanReview] {
            _ = try await self.store.transitionDataset(id: Self.datasetID, to: state, actor: principal.id, note: "demo bootstrap")
        }
        let dataset = try await self.service.approve(Self.datasetID, note: "demo bootstrap", by: principal)
        self.logger.info("demo dataset registered and active", metadata: ["mcpa.dataset": "\(Self.datasetID)"])
        if let onboarding = self.service.onboarding {
            try await onboarding.start(datasetID: Self.datasetID, by: principal)
        }
        return dataset
    }
}
