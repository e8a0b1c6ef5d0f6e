import AnalyticsCore
import Foundation
import LLMClient
import Logging
import MetadataStore

/// Keeps the stored embedding vectors of a dataset's search documents (the dataset and each of its
/// tables, as ``DatasetDocuments`` renders them) in step with its documentation.
///
/// A document is embedded again only when its text changed (its ``contentHash(_:)`` differs from
/// the stored one), so re-indexing an unchanged dataset costs no model call; vectors of tables that
/// disappeared are deleted.
public struct EmbeddingIndexer: Sendable {
    /// What one indexing run did.
    public struct Summary: Sendable, Hashable, Codable {
        public var embedded: Int
        public var unchanged: Int
        public var removed: Int

        public init(embedded: Int, unchanged: Int, removed: Int) {
            self.embedded = embedded
            self.unchanged = unchanged
            self.removed = removed
        }
    }

    let store: any MetadataStore
    let model: any LanguageModel
    /// The embeddings model name vectors are stored under (vectors of different models never mix).
    public let modelName: String

    public init(store: any MetadataStore, model: any LanguageModel, modelName: String) {
        self.store = store
        self.model = model
        self.modelName = modelName
    }

    /// Embeds the dataset's changed documents and prunes stale ones. Throws `DATASET_NOT_FOUND` and
    /// the model's `LLM_UNAVAILABLE` / `LLM_INVALID_OUTPUT`.
    public func index(datasetID: String) async throws -> Summary {
        guard let dataset = try await self.store.dataset(id: datasetID) else { throw AnalyticsError.datasetNotFound(datasetID) }
        let profile = try await self.store.latestProfile(datasetID: datasetID)
        let documents = DatasetDocuments.documents(for: dataset, profile: profile)
        let stored = Dictionary(
            try await self.store.embeddings(model: self.modelName, datasetIDs: [datasetID]).map { ($0.documentID, $0.contentHash) },
            uniquingKeysWith: { first, _ in first }
        )
        let changed = documents.filter { stored[$0.id] != Self.contentHash($0.text) }
        if !changed.isEmpty {
            let vectors = try await self.model.embed(changed.map(\.text))
            guard vectors.count == changed.count else {
                throw AnalyticsError(.llmInvalidOutput, "The embeddings endpoint answered \(vectors.count) vectors for \(changed.count) texts.")
            }
            let now = Date()
            try await self.store.upsertEmbeddings(
                zip(changed, vectors).map { document, vector in
                    EmbeddingRecord(
                        documentID: document.id,
                        datasetID: datasetID,
                        model: self.modelName,
                        contentHash: Self.contentHash(document.text),
                        vector: vector,
                        updatedAt: now
                    )
                }
            )
        }
        let removed = try await self.store.deleteEmbeddings(datasetID: datasetID, keeping: Set(documents.map(\.id)))
        return Summary(embedded: changed.count, unchanged: documents.count - changed.count, removed: removed)
    }

    /// A stable digest of the embedded text (FNV-1a, 64 bits, hex): it only has to notice changes.
    public static func contentHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
