import AnalyticsCore
import LLMClient
import Logging
import MetadataStore

/// Dataset search for `search_datasets`-style questions: BM25 over the documentation, blended with
/// embeddings when a model is configured (``HybridSearch``).
///
/// The question is embedded with the same embeddings model the ``EmbeddingIndexer`` stored vectors
/// under; similarities are computed in process, which is fine at registry scale (hundreds of
/// documents). When the model is missing or fails, the ranking is BM25 alone rather than an error.
public struct SemanticDatasetSearch: Sendable {
    let store: any MetadataStore
    let model: (any LanguageModel)?
    let modelName: String
    public var hybrid: HybridSearch
    let logger: Logger

    public init(store: any MetadataStore, model: (any LanguageModel)?, modelName: String, hybrid: HybridSearch = HybridSearch(), logger: Logger) {
        self.store = store
        self.model = model
        self.modelName = modelName
        self.hybrid = hybrid
        self.logger = logger
    }

    /// `datasets` ranked for `query` (the caller passes the datasets the asker may see).
    public func rankDatasets(_ query: String, datasets: [Dataset], limit: Int) async throws -> [DatasetSearchIndex.DatasetMatch] {
        var entries: [(dataset: Dataset, profile: DatasetProfile?)] = []
        for dataset in datasets {
            entries.append((dataset, try await self.store.latestProfile(datasetID: dataset.id)))
        }
        let index = DatasetSearchIndex(entries: entries)
        var queryVector: [Float]?
        var embeddings: [EmbeddingRecord] = []
        if let model = self.model, !model.isOffline, !datasets.isEmpty {
            do {
                embeddings = try await self.store.embeddings(model: self.modelName, datasetIDs: datasets.map(\.id))
                if !embeddings.isEmpty { queryVector = try await model.embed([query]).first }
            } catch {
                let code = (error as? AnalyticsError)?.code.rawValue ?? "unknown"
                self.logger.warning("Semantic search unavailable; ranking lexically.", metadata: ["mcpa.error.code": "\(code)"])
                queryVector = nil
            }
        }
        return self.hybrid.rankDatasets(query, index: index, queryVector: queryVector, embeddings: embeddings, limit: limit)
    }
}
