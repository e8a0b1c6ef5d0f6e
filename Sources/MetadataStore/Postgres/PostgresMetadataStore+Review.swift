import AnalyticsCore
import Foundation
import PostgresNIO

extension PostgresMetadataStore {
    public func createReviewItem(_ item: NewReviewItem) async throws -> ReviewItem {
        try await self.transaction("create review item") { connection in
            let i = try ReviewRules.newItem(item, now: StoreTimestamp.now())
            guard try await self.lockDataset(connection, id: item.datasetID) != nil else {
                throw AnalyticsError.datasetNotFound(item.datasetID)
            }
            let inserted = try await connection.firstRow(
                """
                INSERT INTO review_items (\(unescaped: ReviewRules.reviewItemColumns))
                VALUES (\(i.id), \(i.datasetID), \(i.kind), \(i.state.rawValue), \(i.title), \(StoreJSON.value(i.details))::jsonb,
                    \(i.sourceJobID), \(item.dedupeKey), \(i.createdBy), \(i.createdAt), \(i.updatedAt), \(i.resolvedBy),
                    \(i.resolvedAt), \(i.resolution))
                ON CONFLICT (dedupe_key) DO NOTHING
                RETURNING id
                """,
                logger: self.logger
            )
            if inserted != nil {
                _ = try await self.insertEvent(
                    connection,
                    kind: .reviewItemCreated,
                    datasetID: i.datasetID,
                    payload: ReviewRules.createdPayload(i)
                )
                return i
            }
            guard let key = item.dedupeKey,
                let existing = try await connection.firstRow(
                    "SELECT \(unescaped: ReviewRules.reviewItemColumns) FROM review_items WHERE dedupe_key = \(key)",
                    logger: self.logger
                )
            else { throw StoreFailure.unavailable("create review item") }
            return try ReviewRules.reviewItem(existing)
        }
    }

    public func reviewItem(id: String) async throws -> ReviewItem? {
        try await self.connection("read review item") { connection in
            try await connection.firstRow(
                "SELECT \(unescaped: ReviewRules.reviewItemColumns) FROM review_items WHERE id = \(id)",
                logger: self.logger
            ).map { try ReviewRules.reviewItem($0) }
        }
    }

    public func reviewItems(_ filter: ReviewItemFilter) async throws -> [ReviewItem] {
        try await self.connection("list review items") { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: ReviewRules.reviewItemColumns) FROM review_items
                WHERE (\(filter.datasetID)::text IS NULL OR dataset_id = \(filter.datasetID))
                  AND (\(filter.state?.rawValue)::text IS NULL OR state = \(filter.state?.rawValue))
                  AND (\(filter.kind)::text IS NULL OR kind = \(filter.kind))
                ORDER BY created_at DESC, id DESC
                LIMIT \(max(filter.limit, 0))
                """,
                logger: self.logger
            ).map { try ReviewRules.reviewItem($0) }
        }
    }

    public func updateReviewItemDetails(id: String, _ change: @Sendable (inout JSONValue) throws -> Void) async throws -> ReviewItem {
        try await withoutActuallyEscaping(change) { change in
            try await self.updateDetails(id: id, change)
        }
    }

    private func updateDetails(id: String, _ change: @escaping @Sendable (inout JSONValue) throws -> Void) async throws -> ReviewItem {
        try await self.transaction("update review item") { connection in
            guard var item = try await self.lockReviewItem(connection, id: id) else { throw ReviewRules.notFound(id) }
            try change(&item.details)
            item.details = try StoreJSON.value(from: StoreJSON.value(item.details), what: "review item details")
            item.updatedAt = StoreTimestamp.now()
            try await connection.query(
                """
                UPDATE review_items SET details = \(StoreJSON.value(item.details))::jsonb, updated_at = \(item.updatedAt)
                WHERE id = \(id)
                """,
                logger: self.logger
            )
            return item
        }
    }

    public func resolveReviewItem(id: String, actor: String, note: String?) async throws -> ReviewItem {
        try await self.transaction("resolve review item") { connection in
            guard let item = try await self.lockReviewItem(connection, id: id) else { throw ReviewRules.notFound(id) }
            let r = try ReviewRules.resolved(item, actor: actor, note: note, now: StoreTimestamp.now())
            try await connection.query(
                """
                UPDATE review_items SET state = \(r.state.rawValue), resolved_by = \(r.resolvedBy), resolved_at = \(r.resolvedAt),
                    resolution = \(r.resolution), updated_at = \(r.updatedAt)
                WHERE id = \(id)
                """,
                logger: self.logger
            )
            _ = try await self.insertEvent(connection, kind: .reviewItemResolved, datasetID: r.datasetID, payload: ReviewRules.resolvedPayload(r))
            return r
        }
    }

    public func saveDriftReport(_ report: StoredDriftReport) async throws -> StoredDriftReport {
        try await self.transaction("save drift report") { connection in
            guard try await self.lockDataset(connection, id: report.datasetID) != nil else {
                throw AnalyticsError.datasetNotFound(report.datasetID)
            }
            var stored = report
            stored.createdAt = StoreTimestamp.normalize(report.createdAt)
            stored.report = try StoreJSON.value(from: StoreJSON.value(report.report), what: "drift report")
            let inserted = try await connection.firstRow(
                """
                INSERT INTO drift_reports (dataset_id, from_version, to_version, change_count, report, created_at)
                VALUES (\(stored.datasetID), \(stored.fromVersion), \(stored.toVersion), \(stored.changeCount),
                    \(StoreJSON.value(stored.report))::jsonb, \(stored.createdAt))
                ON CONFLICT DO NOTHING
                RETURNING dataset_id
                """,
                logger: self.logger
            )
            if inserted != nil { return stored }
            guard
                let existing = try await connection.firstRow(
                    """
                    SELECT dataset_id, from_version, to_version, change_count, report::text AS report, created_at FROM drift_reports
                    WHERE dataset_id = \(report.datasetID) AND from_version = \(report.fromVersion) AND to_version = \(report.toVersion)
                    """,
                    logger: self.logger
                )
            else { throw StoreFailure.unavailable("save drift report") }
            return try ReviewRules.driftReport(existing)
        }
    }

    public func driftReports(datasetID: String, limit: Int) async throws -> [StoredDriftReport] {
        try await self.connection("list drift reports") { connection in
            try await connection.rows(
                """
                SELECT dataset_id, from_version, to_version, change_count, report::text AS report, created_at FROM drift_reports
                WHERE dataset_id = \(datasetID) ORDER BY to_version DESC, from_version DESC LIMIT \(max(limit, 0))
                """,
                logger: self.logger
            ).map { try ReviewRules.driftReport($0) }
        }
    }

    func lockReviewItem(_ connection: PostgresConnection, id: String) async throws -> ReviewItem? {
        try await connection.firstRow(
            "SELECT \(unescaped: ReviewRules.reviewItemColumns) FROM review_items WHERE id = \(id) FOR UPDATE",
            logger: self.logger
        ).map { try ReviewRules.reviewItem($0) }
    }
}
