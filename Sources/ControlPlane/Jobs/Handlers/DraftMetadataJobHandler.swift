import AnalyticsCore
import Foundation
import MetadataStore

/// `draft_metadata` jobs: draft the dataset's documentation from its latest profile and store it.
///
/// Payload `mode`:
/// - `store` (default): the draft becomes the dataset's `metadata` (a new version authored
///   `llm:<model>` or `offline-drafter`; the description is filled when empty), moving the dataset
///   `draft → metadata_pending → human_review`. A dataset that already has reviewed metadata
///   (`human_review` or later) is not overwritten unless `force` is true: the draft is proposed in
///   a `metadata_draft` review item instead.
/// - `propose`: the draft is attached to the review item `review_item_id` as `proposed_metadata`
///   (a refreshed draft after drift); the dataset is not touched.
public struct DraftMetadataJobHandler: JobHandler {
    public var kind: String { JobKind.draftMetadata }
    let store: any MetadataStore
    let drafting: DraftingService
    let pipeline: OnboardingPipeline

    public init(store: any MetadataStore, drafting: DraftingService, pipeline: OnboardingPipeline) {
        self.store = store
        self.drafting = drafting
        self.pipeline = pipeline
    }

    public func run(_ job: JobRecord, context: JobContext) async throws -> JSONValue {
        let datasetID = try job.requireDatasetID()
        guard var dataset = try await self.store.dataset(id: datasetID) else { throw AnalyticsError.datasetNotFound(datasetID) }
        let mode = job.payload["mode"]?.stringValue ?? "store"
        let force = job.payload["force"]?.boolValue ?? false
        let reviewed = [.humanReview, .approved, .active, .inactive].contains(dataset.state) && dataset.metadata != nil
        if mode == "propose" || (reviewed && !force) {
            return try await self.propose(job, dataset: dataset, context: context)
        }
        dataset = try await self.pipeline.beginDrafting(dataset, jobID: job.id)
        context.progress(10, self.drafting.isOffline ? "Drafting offline from the profile." : "Drafting with the language model.")
        let outcome = try await self.drafting.draft(datasetID: datasetID)
        try Task.checkCancellation()
        context.progress(80, "Storing the draft.")
        let document = outcome.metadataDocument()
        let description = Self.description(outcome)
        dataset = try await self.store.updateDataset(
            id: datasetID,
            actor: outcome.author,
            note: "Drafted from profile version \(outcome.profileVersion) (job \(job.id))."
        ) { dataset in
            dataset.metadata = document
            if dataset.description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                dataset.description = description
            }
        }
        dataset = try await self.pipeline.finishDrafting(dataset, jobID: job.id)
        context.logger.info("metadata draft stored", metadata: ["mcpa.draft.author": "\(outcome.author)"])
        return self.result(outcome, extra: ["state": .string(dataset.state.rawValue), "dataset_version": .int(Int64(dataset.version))])
    }

    public func jobEnded(_ job: JobRecord, context: JobContext) async {
        await self.pipeline.jobEnded(job)
    }

    /// Drafts and files the draft as a proposal: on the payload's review item, or on a new one.
    private func propose(_ job: JobRecord, dataset: Dataset, context: JobContext) async throws -> JSONValue {
        context.progress(10, "Drafting a proposal.")
        let outcome = try await self.drafting.draft(datasetID: dataset.id)
        try Task.checkCancellation()
        let document = outcome.metadataDocument()
        let author = outcome.author
        let item: ReviewItem
        if let itemID = job.payload["review_item_id"]?.stringValue {
            item = try await self.store.updateReviewItemDetails(id: itemID) { details in
                var object = details.objectValue ?? [:]
                object["proposed_metadata"] = document
                object["proposed_by"] = .string(author)
                details = .object(object)
            }
        } else {
            item = try await self.store.createReviewItem(
                NewReviewItem(
                    datasetID: dataset.id,
                    kind: ReviewItemKind.metadataDraft,
                    title: "A new metadata draft for \(dataset.name) is ready to compare with the reviewed one",
                    details: ["proposed_metadata": document, "proposed_by": .string(author)],
                    sourceJobID: job.id,
                    dedupeKey: "draft:\(job.id)"
                )
            )
        }
        return self.result(outcome, extra: ["review_item_id": .string(item.id), "state": .string(dataset.state.rawValue)])
    }

    private func result(_ outcome: DraftOutcome, extra: [String: JSONValue]) -> JSONValue {
        var result: [String: JSONValue] = [
            "author": .string(outcome.author),
            "generator": .string(outcome.generator.rawValue),
            "profile_version": .int(Int64(outcome.profileVersion)),
            "validation": outcome.validation.jsonValue,
            "usage": outcome.usageSummary,
        ]
        if let model = outcome.model { result["model"] = .string(model) }
        result.merge(extra) { _, new in new }
        return .object(result)
    }

    /// The summary as the first sentence (lists show it), then the full description.
    static func description(_ outcome: DraftOutcome) -> String {
        let summary = outcome.draft.summary.trimmingCharacters(in: .whitespacesAndNewlines)
        let body = outcome.draft.description.trimmingCharacters(in: .whitespacesAndNewlines)
        if summary.isEmpty { return body }
        if body.isEmpty || body.hasPrefix(summary) { return body.isEmpty ? summary : body }
        return summary + "\n\n" + body
    }
}
