import AnalyticsCore
import Foundation
import Logging
import MetadataStore

/// The automatic part of a dataset's way from `draft` to `human_review` (DESIGN §5.4):
/// registering a dataset enqueues a `profile` job (which runs the quality rules) whose follow-up is
/// a `draft_metadata` job; drafting moves the dataset `draft → metadata_pending` when it starts and
/// `metadata_pending → human_review` when the draft is stored. A step that fails for good moves the
/// dataset back to `draft` with a note and raises an `onboarding_failed` review item carrying the
/// job's error.
public struct OnboardingPipeline: Sendable {
    /// The `pipeline` payload value of onboarding jobs.
    public static let name = "onboarding"

    let store: any MetadataStore
    let jobs: JobQueueClient
    let logger: Logger

    public init(store: any MetadataStore, jobs: JobQueueClient, logger: Logger) {
        self.store = store
        self.jobs = jobs
        self.logger = logger
    }

    /// Enqueues profile → (quality) → draft for a newly registered dataset.
    @discardableResult
    public func start(datasetID: String, by principal: Principal) async throws -> JobRecord {
        let job = try await self.jobs.enqueue(
            NewJob(
                kind: JobKind.profile,
                datasetID: datasetID,
                payload: [
                    "pipeline": .string(Self.name),
                    "then": [.string(JobKind.draftMetadata)],
                    "requested_by": .string(principal.id),
                ]
            )
        )
        self.logger.info("onboarding started", metadata: ["mcpa.dataset": "\(datasetID)", "mcpa.job": "\(job.id)"])
        return job
    }

    /// Enqueues a profiling run asked for through the API (reviewer or admin). For a dataset that has
    /// been approved before, a drift check against the previous snapshot follows.
    public func requestProfile(datasetID: String, by principal: Principal) async throws -> JobRecord {
        try principal.require(.editMetadata)
        guard let dataset = try await self.store.dataset(id: datasetID) else { throw AnalyticsError.datasetNotFound(datasetID) }
        return try await self.jobs.enqueue(
            NewJob(
                kind: JobKind.profile,
                datasetID: datasetID,
                payload: [
                    "then": dataset.everApproved ? [.string(JobKind.driftCheck)] : [],
                    "requested_by": .string(principal.id),
                ]
            )
        )
    }

    /// Moves a `draft` dataset to `metadata_pending` as drafting starts; other states are left alone.
    func beginDrafting(_ dataset: Dataset, jobID: String) async throws -> Dataset {
        guard dataset.state == .draft else { return dataset }
        return try await self.move(dataset, to: .metadataPending, note: "Metadata drafting started (job \(jobID)).")
    }

    /// Moves a `metadata_pending` dataset to `human_review` once its draft is stored.
    func finishDrafting(_ dataset: Dataset, jobID: String) async throws -> Dataset {
        guard dataset.state == .metadataPending else { return dataset }
        return try await self.move(dataset, to: .humanReview, note: "Metadata draft stored (job \(jobID)); ready for review.")
    }

    /// After a job about a dataset ended for good without succeeding: a dataset waiting for its draft
    /// goes back to `draft` with the error as the transition note, and a review item records it.
    func jobEnded(_ job: JobRecord) async {
        guard let datasetID = job.datasetID else { return }
        let isOnboarding = job.payload["pipeline"]?.stringValue == Self.name
        let error = job.error ?? (job.state == .cancelled ? "The job was cancelled." : "The job failed.")
        do {
            guard let dataset = try await self.store.dataset(id: datasetID) else { return }
            if dataset.state == .metadataPending {
                _ = try await self.move(dataset, to: .draft, note: "Onboarding stopped: the \(job.kind) job \(job.state.rawValue). \(error)")
            }
            _ = try await self.store.createReviewItem(
                NewReviewItem(
                    datasetID: datasetID,
                    kind: isOnboarding || dataset.state == .draft ? ReviewItemKind.onboardingFailed : ReviewItemKind.jobFailed,
                    title:
                        "The \(job.kind) job for \(dataset.name) \(job.state.rawValue) after \(job.attempts) attempt\(job.attempts == 1 ? "" : "s")",
                    details: [
                        "job_id": .string(job.id),
                        "job_kind": .string(job.kind),
                        "job_state": .string(job.state.rawValue),
                        "attempts": .int(Int64(job.attempts)),
                        "error": .string(error),
                    ],
                    sourceJobID: job.id,
                    dedupeKey: "job-ended:\(job.id)"
                )
            )
        } catch {
            let code = (error as? AnalyticsError)?.code.rawValue ?? "unknown"
            self.logger.warning(
                "Could not record a failed onboarding step.",
                metadata: ["mcpa.dataset": "\(datasetID)", "mcpa.job": "\(job.id)", "mcpa.error.code": "\(code)"]
            )
        }
    }

    /// A lifecycle move by the server; a concurrent move that already happened is not an error.
    private func move(_ dataset: Dataset, to target: LifecycleState, note: String) async throws -> Dataset {
        do {
            return try await self.store.transitionDataset(id: dataset.id, to: target, actor: Principal.system.name, note: note)
        } catch let error as AnalyticsError where error.code == .invalidTransition {
            self.logger.info(
                "dataset moved meanwhile; pipeline transition skipped",
                metadata: ["mcpa.dataset": "\(dataset.id)", "mcpa.lifecycle.target": "\(target.rawValue)"]
            )
            return try await self.store.dataset(id: dataset.id) ?? dataset
        }
    }
}
