import AnalyticsCore
import Foundation
import Logging
import MetadataStore

/// The reviewer's side of onboarding (DESIGN §5.4): read and edit a dataset's metadata document
/// (every edit a version with its author), decide (approve → active at once, or request changes
/// → draft), ask for a fresh draft, and work through review items and drift reports.
///
/// Roles: viewers and analysts read; reviewers and admins edit, decide and resolve. Approval
/// follows the ``ReviewPolicy``.
public struct ReviewService: Sendable {
    public static let defaultListLimit = 50
    public static let maxListLimit = 500

    let store: any MetadataStore
    let datasets: DatasetService
    let jobs: JobQueueClient
    let logger: Logger
    /// Whether approvals and edits of live datasets re-embed their documentation (an embeddings
    /// endpoint is configured).
    public var indexEmbeddings = false

    public init(store: any MetadataStore, datasets: DatasetService, jobs: JobQueueClient, logger: Logger) {
        self.store = store
        self.datasets = datasets
        self.jobs = jobs
        self.logger = logger
    }

    // MARK: Metadata

    public func metadata(_ id: String, by principal: Principal) async throws -> MetadataView {
        let dataset = try await self.datasets.get(id, by: principal)
        return try await self.view(dataset)
    }

    /// Replaces the metadata document as one new version authored by `principal`.
    public func replaceMetadata(_ id: String, _ update: MetadataUpdate, by principal: Principal) async throws -> MetadataView {
        try principal.require(.editMetadata)
        try MetadataDocumentRules.validate(update.metadata)
        let document = update.metadata
        let expected = update.expectedVersion
        let updated = try await self.store.updateDataset(id: id, actor: principal.id, note: update.note ?? "metadata edited") { dataset in
            if let expected, expected != dataset.version {
                throw AnalyticsError(
                    .conflict,
                    "Dataset '\(dataset.id)' is at version \(dataset.version), not \(expected): someone edited it meanwhile.",
                    hint: "GET the metadata again, reapply your change and send the new version as expected_version."
                )
            }
            dataset.metadata = document
        }
        self.logger.info("dataset metadata edited", metadata: ["mcpa.dataset": "\(id)", "mcpa.principal": "\(principal.id)"])
        if updated.state == .active || updated.state == .approved { await self.enqueueEmbedding(updated) }
        return try await self.view(updated)
    }

    private func view(_ dataset: Dataset) async throws -> MetadataView {
        let history = try await self.store.metadataVersions(datasetID: dataset.id)
        var previous: JSONValue?
        var edit: MetadataView.Edit?
        for version in history.sorted(by: { $0.version < $1.version }) {
            if version.snapshot.metadata != previous {
                edit = MetadataView.Edit(version: version.version, author: version.author, at: version.at, note: version.note)
            }
            previous = version.snapshot.metadata
        }
        if dataset.metadata == nil { edit = nil }
        return MetadataView(datasetID: dataset.id, state: dataset.state, version: dataset.version, metadata: dataset.metadata, lastEdit: edit)
    }

    // MARK: Decisions

    /// Approves (→ `approved` → `active`) or requests changes (→ `draft`, note required).
    public func decide(_ id: String, _ request: ReviewDecisionRequest, by principal: Principal) async throws -> Dataset {
        try principal.require(.reviewDatasets)
        let note = request.note?.trimmingCharacters(in: .whitespacesAndNewlines)
        switch request.decision {
        case .approve:
            let dataset = try await self.datasets.approve(id, note: note, by: principal)
            await self.enqueueEmbedding(dataset)
            return dataset
        case .requestChanges:
            guard let note, !note.isEmpty else {
                throw AnalyticsError.invalidRequest(
                    "Requesting changes needs a note saying what to change.",
                    hint: "Send {\"decision\": \"request_changes\", \"note\": \"…\"}."
                )
            }
            let dataset = try await self.datasets.get(id, by: principal)
            guard dataset.state == .humanReview else {
                throw AnalyticsError.invalidTransition(
                    from: dataset.state,
                    to: .draft,
                    allowed: dataset.state.allowedTargets(everApproved: dataset.everApproved)
                )
            }
            return try await self.store.transitionDataset(id: id, to: .draft, actor: principal.id, note: "Changes requested: \(note)")
        }
    }

    /// Enqueues a fresh draft that replaces the current metadata (reviewers asking the model again).
    public func requestDraft(_ id: String, by principal: Principal) async throws -> JobRecord {
        try principal.require(.editMetadata)
        _ = try await self.datasets.get(id, by: principal)
        guard try await self.store.latestProfile(datasetID: id) != nil else {
            throw AnalyticsError(.profileNotFound, "Dataset '\(id)' has not been profiled yet.", hint: "Run POST /api/datasets/\(id)/profile first.")
        }
        return try await self.jobs.enqueue(
            NewJob(kind: JobKind.draftMetadata, datasetID: id, payload: ["force": true, "requested_by": .string(principal.id)])
        )
    }

    /// Best effort: search falls back to BM25 for a dataset without vectors.
    private func enqueueEmbedding(_ dataset: Dataset) async {
        guard self.indexEmbeddings else { return }
        do {
            try await self.jobs.enqueue(
                NewJob(kind: JobKind.embedDocuments, datasetID: dataset.id, dedupeKey: "embed:\(dataset.id):\(dataset.version)")
            )
        } catch {
            let code = (error as? AnalyticsError)?.code.rawValue ?? "unknown"
            self.logger.warning("could not enqueue embedding", metadata: ["mcpa.dataset": "\(dataset.id)", "mcpa.error.code": "\(code)"])
        }
    }

    // MARK: Review items and drift reports

    public func reviewItems(datasetID: String?, state: ReviewItem.State?, limit: Int?, by principal: Principal) async throws -> [ReviewItem] {
        try principal.require(.readRegistry)
        let limit = try Self.limit(limit)
        if let datasetID { _ = try await self.datasets.get(datasetID, by: principal) }
        return try await self.store.reviewItems(ReviewItemFilter(datasetID: datasetID, state: state, limit: limit))
    }

    public func reviewItem(_ id: String, by principal: Principal) async throws -> ReviewItem {
        try principal.require(.readRegistry)
        guard let item = try await self.store.reviewItem(id: id) else { throw Self.itemNotFound(id) }
        return item
    }

    /// Resolves an open item; with `apply_proposed_metadata` its refreshed draft first becomes the
    /// dataset's metadata (a version authored by the resolving reviewer).
    public func resolve(_ id: String, _ request: ResolveReviewItemRequest, by principal: Principal) async throws -> ReviewItem {
        try principal.require(.reviewDatasets)
        let item = try await self.reviewItem(id, by: principal)
        guard item.state == .open else {
            throw AnalyticsError(.conflict, "Review item '\(id)' is already resolved.", hint: "Nothing to do; the first resolution stands.")
        }
        if request.applyProposedMetadata == true {
            guard let proposal = item.details["proposed_metadata"], proposal.objectValue != nil else {
                throw AnalyticsError.invalidRequest(
                    "Review item '\(id)' has no proposed metadata to apply.",
                    hint: "Resolve it without apply_proposed_metadata, or edit the metadata with PUT /api/datasets/\(item.datasetID)/metadata."
                )
            }
            _ = try await self.store.updateDataset(
                id: item.datasetID,
                actor: principal.id,
                note: "Applied the draft proposed in review item \(id)."
            ) { dataset in
                dataset.metadata = proposal
            }
        }
        return try await self.store.resolveReviewItem(id: id, actor: principal.id, note: request.note)
    }

    public func driftReports(datasetID: String, limit: Int?, by principal: Principal) async throws -> [StoredDriftReport] {
        _ = try await self.datasets.get(datasetID, by: principal)
        return try await self.store.driftReports(datasetID: datasetID, limit: try Self.limit(limit))
    }

    static func limit(_ limit: Int?) throws -> Int {
        let limit = limit ?? Self.defaultListLimit
        guard (1...Self.maxListLimit).contains(limit) else {
            throw AnalyticsError.invalidRequest("limit must be between 1 and \(Self.maxListLimit), got \(limit).")
        }
        return limit
    }

    static func itemNotFound(_ id: String) -> AnalyticsError {
        AnalyticsError(.reviewItemNotFound, "No review item with id '\(id)'.", hint: "List them with GET /api/review-items?dataset_id=….")
    }
}
