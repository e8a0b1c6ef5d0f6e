import AnalyticsCore
import ControlPlane
import DataPlane
import Foundation
import MetadataStore
import TestSupport
import Testing

/// The onboarding pipeline end to end below the HTTP layer, on real datasets and stores: start →
/// profile (with quality) → offline draft → `human_review`; then, once the dataset is active, an
/// `ALTER TABLE` and a bulk insert found by the scheduled re-profile's drift check, which stores a
/// drift report and raises a review item while the dataset stays active.
@Suite("Onboarding pipeline and drift refresh")
struct OnboardingPipelineTests {
    /// Handlers as the server wires them, on a lent connector.
    struct Wiring {
        let worker: JobWorker
        let pipeline: OnboardingPipeline
        let scheduler: RefreshScheduler

        init(store: any MetadataStore, connector: any DatasetConnector) {
            let signals = JobSignals()
            let client = JobQueueClient(store: store, signals: signals, logger: ProfilingFixtures.logger)
            let pipeline = OnboardingPipeline(store: store, jobs: client, logger: ProfilingFixtures.logger)
            let profiling = ProfilingService(store: store, connectors: FixedConnectorProvider(connector: connector), logger: ProfilingFixtures.logger)
            let drafting = DraftingService(store: store, model: nil, logger: ProfilingFixtures.logger)
            self.worker = JobWorker(
                store: store,
                handlers: [
                    ProfileJobHandler(profiling: profiling, pipeline: pipeline),
                    DraftMetadataJobHandler(store: store, drafting: drafting, pipeline: pipeline),
                    DriftCheckJobHandler(store: store, detector: profiling.drift, refreshDraftOnDrift: true, pipeline: pipeline),
                ],
                configuration: JobWorkerConfiguration(pollInterval: .milliseconds(50), retryBaseSeconds: 0.05),
                signals: signals,
                client: client,
                logger: ProfilingFixtures.logger
            )
            self.pipeline = pipeline
            self.scheduler = RefreshScheduler(
                store: store,
                jobs: client,
                configuration: RefreshSchedulerConfiguration(profileRefreshHours: 24),
                logger: ProfilingFixtures.logger
            )
        }
    }

    /// Waits until every job of the dataset has ended and returns them, newest first.
    static func settledJobs(_ store: any MetadataStore, _ datasetID: String) async throws -> [JobRecord] {
        let deadline = Date().addingTimeInterval(120)
        while true {
            let jobs = try await store.jobs(datasetID: datasetID, limit: 50)
            if !jobs.isEmpty, jobs.allSatisfy(JobFixtures.isFinished) { return jobs }
            if Date() > deadline {
                Issue.record("jobs never settled: \(jobs.map { "\($0.kind) \($0.state)" })")
                return jobs
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test(
        "registration to human_review with no manual step; drift after ALTER TABLE and a bulk insert raises a review item",
        arguments: StoreBackend.allCases
    )
    func pipelineAndDrift(_ backend: StoreBackend) async throws {
        let storeKind: StoreFixtures.Kind = backend == .postgres ? .postgres : .sqlite
        try await StoreFixtures.withStore(storeKind) { store in
            try await ProfilingFixtures.withDataset(backend, setup: DriftTests.setup(backend)) { dataset in
                try await StoreFixtures.register("panel", kind: backend == .postgres ? .postgres : .sqlite, in: store)
                let wiring = Wiring(store: store, connector: dataset.connector)
                try await JobFixtures.running(wiring.worker) {
                    let first = try await wiring.pipeline.start(datasetID: "panel", by: StoreFixtures.reviewer)
                    #expect(first.kind == JobKind.profile)
                    let jobs = try await Self.settledJobs(store, "panel")
                    #expect(jobs.map(\.kind) == [JobKind.draftMetadata, JobKind.profile], "profile, then its draft follow-up")
                    #expect(jobs.allSatisfy { $0.state == .succeeded }, "\(jobs.map { $0.error ?? "" })")

                    let reviewed = try #require(try await store.dataset(id: "panel"))
                    #expect(reviewed.state == .humanReview)
                    #expect(reviewed.metadata?["provenance"]?["author"] == "offline-drafter")
                    #expect(reviewed.metadata?["data_dictionary"]?.arrayValue?.count == 1)
                    #expect(!reviewed.description.isEmpty, "the drafted description fills an empty one")
                    let path = try await store.transitions(datasetID: "panel").map(\.to)
                    #expect(path.suffix(2) == [.metadataPending, .humanReview])
                    #expect(try await store.latestProfile(datasetID: "panel")?.version == 1)

                    // A reviewer approves; the dataset goes live.
                    _ = try await store.transitionDataset(id: "panel", to: .approved, actor: "reviewer", note: nil)
                    _ = try await store.transitionDataset(id: "panel", to: .active, actor: "reviewer", note: nil)
                    #expect(try await wiring.scheduler.tick().isEmpty, "a fresh profile is not due")

                    try await dataset.execute(DriftTests.changes(backend))
                    let due = try await wiring.scheduler.tick(now: Date().addingTimeInterval(25 * 3_600))
                    #expect(due.count == 1)
                    #expect(due.first?.kind == JobKind.profile)
                    #expect(due.first?.payload["then"] == [.string(JobKind.driftCheck)])
                    let again = try await wiring.scheduler.tick(now: Date().addingTimeInterval(25 * 3_600))
                    #expect(again.map(\.id) == due.map(\.id) || again.isEmpty, "one refresh per period")

                    let after = try await Self.settledJobs(store, "panel")
                    #expect(after.allSatisfy { $0.state == .succeeded }, "\(after.map { "\($0.kind): \($0.error ?? "")" })")
                    #expect(after.prefix(3).map(\.kind) == [JobKind.draftMetadata, JobKind.driftCheck, JobKind.profile])

                    let reports = try await store.driftReports(datasetID: "panel", limit: 10)
                    #expect(reports.count == 1)
                    #expect(reports.first?.fromVersion == 1 && reports.first?.toVersion == 2)
                    let kinds = Set(reports.first?.report["changes"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? [])
                    #expect(kinds.isSuperset(of: ["column_added", "column_removed", "column_retyped", "row_volume_changed"]), "\(kinds)")

                    let items = try await store.reviewItems(ReviewItemFilter(datasetID: "panel"))
                    #expect(items.map(\.kind) == ["drift"])
                    let item = try #require(items.first)
                    #expect(item.state == .open)
                    #expect(item.details["from_version"] == 1 && item.details["to_version"] == 2)
                    #expect(item.details["proposed_metadata"]?["provenance"]?["profile_version"] == 2, "a refreshed draft is proposed")

                    let live = try #require(try await store.dataset(id: "panel"))
                    #expect(live.state == .active, "drift never hides the dataset")
                    #expect(live.metadata == reviewed.metadata, "the reviewed metadata stays until a reviewer applies the proposal")
                }
            }
        }
    }
}
