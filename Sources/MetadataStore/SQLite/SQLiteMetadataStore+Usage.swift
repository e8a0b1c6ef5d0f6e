import AnalyticsCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    public func appendLLMUsage(_ record: LLMUsageRecord) async throws {
        let r = ReviewRules.normalized(record)
        try await self.write("append LLM usage") { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO llm_usage (\(ReviewRules.usageColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    r.id, r.at.sqliteText, r.datasetID, r.jobID, r.operation, r.purpose, r.model, r.usedFallback, r.promptTokens,
                    r.completionTokens, r.totalTokens, r.latencyMs, r.attempts, r.errorCode,
                ]
            )
        }
    }

    public func llmUsage(datasetID: String?, jobID: String?, limit: Int) async throws -> [LLMUsageRecord] {
        try await self.read("read LLM usage") { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let datasetID {
                conditions.append("dataset_id = ?")
                arguments += [datasetID]
            }
            if let jobID {
                conditions.append("job_id = ?")
                arguments += [jobID]
            }
            arguments += [max(limit, 0)]
            let condition = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(
                db,
                sql: "SELECT \(ReviewRules.usageColumns) FROM llm_usage \(condition) ORDER BY at DESC, id DESC LIMIT ?",
                arguments: arguments
            ).map { try ReviewRules.usage(SQLiteRow($0)) }
        }
    }

    public func upsertEmbeddings(_ records: [EmbeddingRecord]) async throws {
        guard !records.isEmpty else { return }
        try await self.write("save embeddings") { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO search_embeddings (document_id, model, dataset_id, content_hash, vector, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (document_id, model) DO UPDATE SET
                        dataset_id = excluded.dataset_id, content_hash = excluded.content_hash,
                        vector = excluded.vector, updated_at = excluded.updated_at
                    """
            )
            for r in records {
                try statement.execute(arguments: [
                    r.documentID, r.model, r.datasetID, r.contentHash, ReviewRules.encodeVector(r.vector),
                    StoreTimestamp.normalize(r.updatedAt).sqliteText,
                ])
            }
        }
    }

    public func embeddings(model: String, datasetIDs: [String]?) async throws -> [EmbeddingRecord] {
        try await self.read("read embeddings") { db in
            var sql = "SELECT document_id, model, dataset_id, content_hash, vector, updated_at FROM search_embeddings WHERE model = ?"
            var arguments: StatementArguments = [model]
            if let datasetIDs {
                guard !datasetIDs.isEmpty else { return [] }
                sql += " AND dataset_id IN (" + Array(repeating: "?", count: datasetIDs.count).joined(separator: ", ") + ")"
                arguments += StatementArguments(datasetIDs)
            }
            sql += " ORDER BY document_id"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { try ReviewRules.embedding(SQLiteRow($0)) }
        }
    }

    public func deleteEmbeddings(datasetID: String, keeping: Set<String>) async throws -> Int {
        try await self.write("delete embeddings") { db in
            let kept = keeping.sorted()
            var sql = "DELETE FROM search_embeddings WHERE dataset_id = ?"
            var arguments: StatementArguments = [datasetID]
            if !kept.isEmpty {
                sql += " AND document_id NOT IN (" + Array(repeating: "?", count: kept.count).joined(separator: ", ") + ")"
                arguments += StatementArguments(kept)
            }
            try db.execute(sql: sql, arguments: arguments)
            return db.changesCount
        }
    }
}
