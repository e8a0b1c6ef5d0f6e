import AnalyticsCore
import Foundation

/// Review-item, drift-report, usage and embedding rules both stores apply identically.
enum ReviewRules {
    static let reviewItemColumns = """
        id, dataset_id, kind, state, title, details, source_job_id, dedupe_key, created_by, created_at, updated_at, \
        resolved_by, resolved_at, resolution
        """

    static let usageColumns = """
        id, at, dataset_id, job_id, operation, purpose, model, used_fallback, prompt_tokens, completion_tokens, \
        total_tokens, latency_ms, attempts, error_code
        """

    static func newItem(_ item: NewReviewItem, now: Date) throws -> ReviewItem {
        guard !item.kind.isEmpty, !item.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw AnalyticsError.invalidRequest("A review item needs a kind and a title.")
        }
        if let key = item.dedupeKey, key.isEmpty || key.count > 300 {
            throw AnalyticsError.invalidRequest("A review item's dedupe key must have 1–300 characters.")
        }
        return ReviewItem(
            id: RegistryRules.newID(),
            datasetID: item.datasetID,
            kind: item.kind,
            state: .open,
            title: item.title,
            details: try StoreJSON.value(from: StoreJSON.value(item.details), what: "review item details"),
            sourceJobID: item.sourceJobID,
            createdBy: item.createdBy,
            createdAt: now,
            updatedAt: now
        )
    }

    static func resolved(_ item: ReviewItem, actor: String, note: String?, now: Date) throws -> ReviewItem {
        guard item.state == .open else {
            throw AnalyticsError(
                .conflict,
                "Review item '\(item.id)' was already resolved by \(item.resolvedBy ?? "someone").",
                hint: "Reload the item; the first resolution stands."
            )
        }
        var item = item
        item.state = .resolved
        item.resolvedBy = actor
        item.resolvedAt = now
        item.resolution = note
        item.updatedAt = now
        return item
    }

    static func notFound(_ id: String) -> AnalyticsError {
        AnalyticsError(.reviewItemNotFound, "No review item with id '\(id)'.", hint: "List them with GET /api/review-items.")
    }

    static func createdPayload(_ item: ReviewItem) -> JSONValue {
        ["review_item_id": .string(item.id), "kind": .string(item.kind)]
    }

    static func resolvedPayload(_ item: ReviewItem) -> JSONValue {
        ["review_item_id": .string(item.id), "kind": .string(item.kind), "by": .string(item.resolvedBy ?? "")]
    }

    static func reviewItem(_ row: some StoreRow) throws -> ReviewItem {
        do {
            guard let state = ReviewItem.State(rawValue: try row.string("state")) else { throw StoreFailure.corrupt("review item") }
            return ReviewItem(
                id: try row.string("id"),
                datasetID: try row.string("dataset_id"),
                kind: try row.string("kind"),
                state: state,
                title: try row.string("title"),
                details: try StoreJSON.value(from: try row.string("details"), what: "review item details"),
                sourceJobID: try row.optionalString("source_job_id"),
                createdBy: try row.string("created_by"),
                createdAt: try row.date("created_at"),
                updatedAt: try row.date("updated_at"),
                resolvedBy: try row.optionalString("resolved_by"),
                resolvedAt: try row.optionalDate("resolved_at"),
                resolution: try row.optionalString("resolution")
            )
        } catch let error as AnalyticsError {
            throw error
        } catch {
            throw StoreFailure.corrupt("review item")
        }
    }

    static func driftReport(_ row: some StoreRow) throws -> StoredDriftReport {
        do {
            return StoredDriftReport(
                datasetID: try row.string("dataset_id"),
                fromVersion: try row.int("from_version"),
                toVersion: try row.int("to_version"),
                changeCount: try row.int("change_count"),
                report: try StoreJSON.value(from: try row.string("report"), what: "drift report"),
                createdAt: try row.date("created_at")
            )
        } catch let error as AnalyticsError {
            throw error
        } catch {
            throw StoreFailure.corrupt("drift report")
        }
    }

    static func usage(_ row: some StoreRow) throws -> LLMUsageRecord {
        do {
            return LLMUsageRecord(
                id: try row.string("id"),
                at: try row.date("at"),
                datasetID: try row.optionalString("dataset_id"),
                jobID: try row.optionalString("job_id"),
                operation: try row.string("operation"),
                purpose: try row.optionalString("purpose"),
                model: try row.string("model"),
                usedFallback: try row.bool("used_fallback"),
                promptTokens: try row.int("prompt_tokens"),
                completionTokens: try row.int("completion_tokens"),
                totalTokens: try row.int("total_tokens"),
                latencyMs: try row.double("latency_ms"),
                attempts: try row.int("attempts"),
                errorCode: try row.optionalString("error_code")
            )
        } catch let error as AnalyticsError {
            throw error
        } catch {
            throw StoreFailure.corrupt("LLM usage record")
        }
    }

    static func embedding(_ row: some StoreRow) throws -> EmbeddingRecord {
        do {
            return EmbeddingRecord(
                documentID: try row.string("document_id"),
                datasetID: try row.string("dataset_id"),
                model: try row.string("model"),
                contentHash: try row.string("content_hash"),
                vector: try self.decodeVector(try row.string("vector")),
                updatedAt: try row.date("updated_at")
            )
        } catch let error as AnalyticsError {
            throw error
        } catch {
            throw StoreFailure.corrupt("search embedding")
        }
    }

    /// Vectors are stored as JSON arrays of numbers.
    static func encodeVector(_ vector: [Float]) -> String {
        JSONValue.array(vector.map { .double(Double($0)) }).serialized()
    }

    static func decodeVector(_ text: String) throws -> [Float] {
        guard let items = try StoreJSON.value(from: text, what: "search embedding").arrayValue else {
            throw StoreFailure.corrupt("search embedding")
        }
        return try items.map { item in
            guard let value = item.doubleValue else { throw StoreFailure.corrupt("search embedding") }
            return Float(value)
        }
    }

    static func normalized(_ record: LLMUsageRecord) -> LLMUsageRecord {
        var record = record
        record.at = StoreTimestamp.normalize(record.at)
        return record
    }
}
