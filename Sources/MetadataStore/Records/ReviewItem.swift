import AnalyticsCore
import Foundation

/// Something a reviewer should look at for a dataset that is not a lifecycle move: drift found by a
/// scheduled re-profile, an onboarding pipeline that failed, a refreshed draft waiting to be applied.
///
/// Review items never hide a dataset: an active dataset stays active while its items are open.
/// They are stored (not derived) so several replicas agree on them and reviewers can resolve them.
public struct ReviewItem: Sendable, Codable, Hashable {
    public enum State: String, Sendable, Codable, Hashable, CaseIterable {
        case open
        case resolved
    }

    public var id: String
    public var datasetID: String
    /// `drift`, `onboarding_failed`, … (see the control plane's `ReviewItemKind`).
    public var kind: String
    public var state: State
    /// One line for lists.
    public var title: String
    /// Kind-specific facts: a drift report, a failed job's error, a proposed metadata document.
    public var details: JSONValue
    /// The job that raised the item, if any.
    public var sourceJobID: String?
    /// Whoever raised it (`system` for the pipeline).
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date
    public var resolvedBy: String?
    public var resolvedAt: Date?
    /// The reviewer's note on resolving.
    public var resolution: String?

    public init(
        id: String,
        datasetID: String,
        kind: String,
        state: State,
        title: String,
        details: JSONValue,
        sourceJobID: String?,
        createdBy: String,
        createdAt: Date,
        updatedAt: Date,
        resolvedBy: String? = nil,
        resolvedAt: Date? = nil,
        resolution: String? = nil
    ) {
        self.id = id
        self.datasetID = datasetID
        self.kind = kind
        self.state = state
        self.title = title
        self.details = details
        self.sourceJobID = sourceJobID
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.resolvedBy = resolvedBy
        self.resolvedAt = resolvedAt
        self.resolution = resolution
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, state, title, details, resolution
        case datasetID = "dataset_id"
        case sourceJobID = "source_job_id"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case resolvedBy = "resolved_by"
        case resolvedAt = "resolved_at"
    }
}

/// What to raise.
public struct NewReviewItem: Sendable, Hashable {
    public var datasetID: String
    public var kind: String
    public var title: String
    public var details: JSONValue
    public var sourceJobID: String?
    public var createdBy: String
    /// When set, raising an item with a key already used returns the existing item instead of a
    /// second one — so a retried job or a second replica never raises the same item twice.
    public var dedupeKey: String?

    public init(
        datasetID: String,
        kind: String,
        title: String,
        details: JSONValue = [:],
        sourceJobID: String? = nil,
        createdBy: String = "system",
        dedupeKey: String? = nil
    ) {
        self.datasetID = datasetID
        self.kind = kind
        self.title = title
        self.details = details
        self.sourceJobID = sourceJobID
        self.createdBy = createdBy
        self.dedupeKey = dedupeKey
    }
}

/// Which review items to list.
public struct ReviewItemFilter: Sendable, Hashable {
    public var datasetID: String?
    public var state: ReviewItem.State?
    public var kind: String?
    public var limit: Int

    public init(datasetID: String? = nil, state: ReviewItem.State? = nil, kind: String? = nil, limit: Int = 100) {
        self.datasetID = datasetID
        self.state = state
        self.kind = kind
        self.limit = limit
    }
}
