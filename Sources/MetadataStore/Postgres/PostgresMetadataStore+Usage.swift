import AnalyticsCore
import Foundation
import PostgresNIO

extension PostgresMetadataStore {
    public func appendLLMUsage(_ record: LLMUsageRecord) async throws {
        let r = ReviewRules.normalized(record)
        try await self.connection("append LLM usage") { connection in
            try await connection.query(
                """
                INSERT INTO llm_usage (\(unescaped: ReviewRules.usageColumns))
                VALUES (\(r.id), \(r.at), \(r.datasetID), \(r.jobID), \(r.operation), \(r.purpose), \(r.model), \(r.usedFallback),
                    \(r.promptTokens), \(r.completionTokens), \(r.totalTokens), \(r.latencyMs), \(r.attempts), \(r.errorCode))
                ON CONFLICT (id) DO NOTHING
                """,
                logger: self.logger
            )
        }
    }

    public func llmUsage(datasetID: String?, jobID: String?, limit: Int) async throws -> [LLMUsageRecord] {
        try await self.connection("read LLM usage") { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: ReviewRules.usageColumns) FROM llm_usage
                WHERE (\(datasetID)::text IS NULL OR dataset_id = \(datasetID))
                  AND (\(jobID)::text IS NULL OR job_id = \(jobID))
                ORDER BY at DESC, id DESC
                LIMIT \(max(limit, 0))
                """,
                logger: self.logger
            ).map { try ReviewRules.usage($0) }
        }
    }

    public func upsertEmbeddings(_ records: [EmbeddingRecord]) async throws {
        guard !records.isEmpty else { return }
        try await self.transaction("save embeddings") { connection in
            for r in records {
                try await connection.query(
                    """
                    INSERT INTO search_embeddings (document_id, model, dataset_id, content_hash, vector, updated_at)
                    VALUES (\(r.documentID), \(r.model), \(r.datasetID), \(r.contentHash), \(ReviewRules.encodeVector(r.vector))::jsonb,
                        \(StoreTimestamp.normalize(r.updatedAt)))
                    ON CONFLICT (document_id, model) DO UPDATE SET
                        dataset_id = EXCLUDED.dataset_id, content_hash = EXCLUDED.content_hash,
                        vector = EXCLUDED.vector, updated_at = EXCLUDED.updated_at
                    """,
                    logger: self.logger
                )
            }
        }
    }

    public func embeddings(model: String, datasetIDs: [String]?) async throws -> [EmbeddingRecord] {
        if let datasetIDs, datasetIDs.isEmpty { return [] }
        return try await self.connection("read embeddings") { connection in
            try await connection.rows(
                """
                SELECT document_id, model, dataset_id, content_hash, vector::text AS vector, updated_at FROM search_embeddings
                WHERE model = \(model) AND (\(datasetIDs == nil) OR dataset_id = ANY(\(datasetIDs ?? [])))
                ORDER BY document_id
                """,
                logger: self.logger
            ).map { try ReviewRules.embedding($0) }
        }
    }

    public func deleteEmbeddings(datasetID: String, keeping: Set<String>) async throws -> Int {
        try await self.connection("delete embeddings") { connection in
            let rows = try await connection.rows(
                """
                DELETE FROM search_embeddings WHERE dataset_id = \(datasetID) AND NOT (document_id = ANY(\(keeping.sorted())))
                RETURNING document_id
                """,
                logger: self.logger
            )
            return rows.count
        }
    }
}
