import AnalyticsCore
import MetadataStore

/// `embed_documents` jobs: bring a dataset's stored embedding vectors up to date (see
/// ``EmbeddingIndexer``). Registered only when an embeddings endpoint is configured; enqueued when
/// a dataset is approved and when the reviewed metadata of a live dataset is edited.
public struct EmbedDocumentsJobHandler: JobHandler {
    public var kind: String { JobKind.embedDocuments }
    let indexer: EmbeddingIndexer

    public init(indexer: EmbeddingIndexer) {
        self.indexer = indexer
    }

    public func run(_ job: JobRecord, context: JobContext) async throws -> JSONValue {
        let datasetID = try job.requireDatasetID()
        context.progress(10, "Embedding the dataset's documentation.")
        let summary = try await self.indexer.index(datasetID: datasetID)
        return [
            "embedded": .int(Int64(summary.embedded)),
            "unchanged": .int(Int64(summary.unchanged)),
            "removed": .int(Int64(summary.removed)),
            "model": .string(self.indexer.modelName),
        ]
    }
}
