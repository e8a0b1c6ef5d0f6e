import Foundation

/// The embedding vector of one search document (a dataset or one of its tables) under one model.
///
/// `contentHash` is a digest of the text that was embedded, so the indexer re-embeds a document only
/// when its documentation changed and never pays twice for the same text.
public struct EmbeddingRecord: Sendable, Codable, Hashable {
    /// The search document id: `dataset_id` or `dataset_id/table`.
    public var documentID: String
    public var datasetID: String
    public var model: String
    public var contentHash: String
    public var vector: [Float]
    public var updatedAt: Date

    public init(documentID: String, datasetID: String, model: String, contentHash: String, vector: [Float], updatedAt: Date = Date()) {
        self.documentID = documentID
        self.datasetID = datasetID
        self.model = model
        self.contentHash = contentHash
        self.vector = vector
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case model, vector
        case documentID = "document_id"
        case datasetID = "dataset_id"
        case contentHash = "content_hash"
        case updatedAt = "updated_at"
    }
}
