import AnalyticsCore
import Foundation
import MetadataStore

/// `PUT /api/datasets/{id}/metadata`: the whole metadata document, replaced as one new version.
public struct MetadataUpdate: Sendable, Codable {
    /// The new document (a JSON object); its known fields must have the draft schema's types.
    public var metadata: JSONValue
    /// Recorded with the version.
    public var note: String?
    /// When given, the edit is refused with `CONFLICT` unless the dataset is still at this version,
    /// so two reviewers editing at once cannot overwrite each other unknowingly.
    public var expectedVersion: Int?

    public init(metadata: JSONValue, note: String? = nil, expectedVersion: Int? = nil) {
        self.metadata = metadata
        self.note = note
        self.expectedVersion = expectedVersion
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case metadata, note
        case expectedVersion = "expected_version"
    }
}

/// A dataset's metadata document with the facts a reviewer needs around it.
public struct MetadataView: Sendable, Codable, Hashable {
    public struct Edit: Sendable, Codable, Hashable {
        public var version: Int
        public var author: String
        public var at: Date
        public var note: String?
    }

    public var datasetID: String
    public var state: LifecycleState
    /// The dataset's version; pass it as `expected_version` when editing.
    public var version: Int
    public var metadata: JSONValue?
    /// The version that last changed the metadata document; nil when it was never set.
    public var lastEdit: Edit?

    enum CodingKeys: String, CodingKey {
        case state, version, metadata
        case datasetID = "dataset_id"
        case lastEdit = "last_edit"
    }

    /// Writes `"metadata": null` and `"last_edit": null` rather than leaving the keys out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.datasetID, forKey: .datasetID)
        try container.encode(self.state, forKey: .state)
        try container.encode(self.version, forKey: .version)
        try container.encode(self.metadata, forKey: .metadata)
        try container.encode(self.lastEdit, forKey: .lastEdit)
    }
}

/// `POST /api/datasets/{id}/review`: a reviewer's decision on a dataset in `human_review`.
public struct ReviewDecisionRequest: Sendable, Codable {
    public enum Decision: String, Sendable, Codable, CaseIterable {
        /// → `approved` → `active`, live at once.
        case approve
        /// → `draft`; the note (required) says what to change.
        case requestChanges = "request_changes"
    }

    public var decision: Decision
    public var note: String?

    public init(decision: Decision, note: String? = nil) {
        self.decision = decision
        self.note = note
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case decision, note
    }
}

/// `POST /api/review-items/{id}/resolve`.
public struct ResolveReviewItemRequest: Sendable, Codable {
    public var note: String?
    /// Make the item's `proposed_metadata` (a refreshed draft) the dataset's metadata before resolving.
    public var applyProposedMetadata: Bool?

    public init(note: String? = nil, applyProposedMetadata: Bool? = nil) {
        self.note = note
        self.applyProposedMetadata = applyProposedMetadata
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case note
        case applyProposedMetadata = "apply_proposed_metadata"
    }
}
