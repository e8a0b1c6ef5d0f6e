import AnalyticsCore
import Foundation

/// Review items and the drift reports behind them (DESIGN §5.4: drift raises a review item without
/// hiding the dataset).
public protocol ReviewStore: Sendable {
    /// Raises an item and appends a `review_item.created` event in the same transaction. With a
    /// `dedupeKey` already used, returns the existing item and appends nothing. Throws
    /// `DATASET_NOT_FOUND` for an unknown dataset and `INVALID_REQUEST` for an empty kind or title.
    func createReviewItem(_ item: NewReviewItem) async throws -> ReviewItem
    /// The item, or `nil`.
    func reviewItem(id: String) async throws -> ReviewItem?
    /// Items newest first.
    func reviewItems(_ filter: ReviewItemFilter) async throws -> [ReviewItem]
    /// Read-modify-write of an item's details in one transaction (e.g. attaching a refreshed draft).
    /// Throws `REVIEW_ITEM_NOT_FOUND`; rethrows what `change` throws and then changes nothing.
    func updateReviewItemDetails(id: String, _ change: @Sendable (inout JSONValue) throws -> Void) async throws -> ReviewItem
    /// Marks an open item resolved by `actor` and appends a `review_item.resolved` event. Throws
    /// `REVIEW_ITEM_NOT_FOUND`, or `CONFLICT` when it is already resolved (the first resolution stands).
    func resolveReviewItem(id: String, actor: String, note: String?) async throws -> ReviewItem
    /// Stores a drift report; storing the same (dataset, from, to) again keeps the first and returns it.
    /// Throws `DATASET_NOT_FOUND` for an unknown dataset.
    func saveDriftReport(_ report: StoredDriftReport) async throws -> StoredDriftReport
    /// A dataset's drift reports, newest (highest `toVersion`) first.
    func driftReports(datasetID: String, limit: Int) async throws -> [StoredDriftReport]
}

/// Language-model token usage, one row per call.
public protocol LLMUsageStore: Sendable {
    func appendLLMUsage(_ record: LLMUsageRecord) async throws
    /// Newest first, optionally only one dataset's or one job's calls.
    func llmUsage(datasetID: String?, jobID: String?, limit: Int) async throws -> [LLMUsageRecord]
}

/// Embedding vectors of search documents (semantic search).
public protocol EmbeddingStore: Sendable {
    /// Inserts or replaces vectors by (document id, model).
    func upsertEmbeddings(_ records: [EmbeddingRecord]) async throws
    /// Every vector of `model`, optionally of some datasets only.
    func embeddings(model: String, datasetIDs: [String]?) async throws -> [EmbeddingRecord]
    /// Deletes a dataset's vectors except those of `keeping` document ids; returns how many.
    func deleteEmbeddings(datasetID: String, keeping: Set<String>) async throws -> Int
}

extension ChangeEvent.Kind {
    /// A review item was raised (payload: `review_item_id`, `kind`).
    public static let reviewItemCreated = ChangeEvent.Kind("review_item.created")
    /// A review item was resolved (payload: `review_item_id`, `by`).
    public static let reviewItemResolved = ChangeEvent.Kind("review_item.resolved")
}
