import AnalyticsCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    public func createReviewItem(_ item: NewReviewItem) async throws -> ReviewItem {
        try await self.write("create review item") { db in
            let record = try ReviewRules.newItem(item, now: StoreTimestamp.now())
            if let key = item.dedupeKey,
                let existing = try Row.fetchOne(
                    db,
                    sql: "SELECT \(ReviewRules.reviewItemColumns) FROM review_items WHERE dedupe_key = ?",
                    arguments: [key]
                )
            {
                return try ReviewRules.reviewItem(SQLiteRow(existing))
            }
            guard try Self.fetchDataset(db, id: item.datasetID) != nil else { throw AnalyticsError.datasetNotFound(item.datasetID) }
            try db.execute(
                sql: "INSERT INTO review_items (\(ReviewRules.reviewItemColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: StatementArguments(Self.reviewItemValues(record, dedupeKey: item.dedupeKey))
            )
            _ = try Self.insertEvent(db, kind: .reviewItemCreated, datasetID: record.datasetID, payload: ReviewRules.createdPayload(record))
            return record
        }
    }

    public func reviewItem(id: String) async throws -> ReviewItem? {
        try await self.read("read review item") { db in try Self.fetchReviewItem(db, id: id) }
    }

    public func reviewItems(_ filter: ReviewItemFilter) async throws -> [ReviewItem] {
        try await self.read("list review items") { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let datasetID = filter.datasetID {
                conditions.append("dataset_id = ?")
                arguments += [datasetID]
            }
            if let state = filter.state {
                conditions.append("state = ?")
                arguments += [state.rawValue]
            }
            if let kind = filter.kind {
                conditions.append("kind = ?")
                arguments += [kind]
            }
            arguments += [max(filter.limit, 0)]
            let condition = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(
                db,
                sql: "SELECT \(ReviewRules.reviewItemColumns) FROM review_items \(condition) ORDER BY created_at DESC, id DESC LIMIT ?",
                arguments: arguments
            ).map { try ReviewRules.reviewItem(SQLiteRow($0)) }
        }
    }

    public func updateReviewItemDetails(id: String, _ change: @Sendable (inout JSONValue) throws -> Void) async throws -> ReviewItem {
        try await self.write("update review item") { db in
            guard var item = try Self.fetchReviewItem(db, id: id) else { throw ReviewRules.notFound(id) }
            try change(&item.details)
            item.details = try StoreJSON.value(from: StoreJSON.value(item.details), what: "review item details")
            item.updatedAt = StoreTimestamp.now()
            try db.execute(
                sql: "UPDATE review_items SET details = ?, updated_at = ? WHERE id = ?",
                arguments: [StoreJSON.value(item.details), item.updatedAt.sqliteText, id]
            )
            return item
        }
    }

    public func resolveReviewItem(id: String, actor: String, note: String?) async throws -> ReviewItem {
        try await self.write("resolve review item") { db in
            guard let item = try Self.fetchReviewItem(db, id: id) else { throw ReviewRules.notFound(id) }
            let resolved = try ReviewRules.resolved(item, actor: actor, note: note, now: StoreTimestamp.now())
            try db.execute(
                sql: "UPDATE review_items SET state = ?, resolved_by = ?, resolved_at = ?, resolution = ?, updated_at = ? WHERE id = ?",
                arguments: [
                    resolved.state.rawValue, resolved.resolvedBy, resolved.resolvedAt?.sqliteText, resolved.resolution,
                    resolved.updatedAt.sqliteText, id,
                ]
            )
            _ = try Self.insertEvent(
                db,
                kind: .reviewItemResolved,
                datasetID: resolved.datasetID,
                payload: ReviewRules.resolvedPayload(resolved)
            )
            return resolved
        }
    }

    public func saveDriftReport(_ report: StoredDriftReport) async throws -> StoredDriftReport {
        try await self.write("save drift report") { db in
            let select = """
                SELECT dataset_id, from_version, to_version, change_count, report, created_at FROM drift_reports
                WHERE dataset_id = ? AND from_version = ? AND to_version = ?
                """
            let key: StatementArguments = [report.datasetID, report.fromVersion, report.toVersion]
            if let existing = try Row.fetchOne(db, sql: select, arguments: key) {
                return try ReviewRules.driftReport(SQLiteRow(existing))
            }
            guard try Self.fetchDataset(db, id: report.datasetID) != nil else { throw AnalyticsError.datasetNotFound(report.datasetID) }
            var stored = report
            stored.createdAt = StoreTimestamp.normalize(report.createdAt)
            stored.report = try StoreJSON.value(from: StoreJSON.value(report.report), what: "drift report")
            try db.execute(
                sql: """
                    INSERT INTO drift_reports (dataset_id, from_version, to_version, change_count, report, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    stored.datasetID, stored.fromVersion, stored.toVersion, stored.changeCount, StoreJSON.value(stored.report),
                    stored.createdAt.sqliteText,
                ]
            )
            return stored
        }
    }

    public func driftReports(datasetID: String, limit: Int) async throws -> [StoredDriftReport] {
        try await self.read("list drift reports") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT dataset_id, from_version, to_version, change_count, report, created_at FROM drift_reports
                    WHERE dataset_id = ? ORDER BY to_version DESC, from_version DESC LIMIT ?
                    """,
                arguments: [datasetID, max(limit, 0)]
            ).map { try ReviewRules.driftReport(SQLiteRow($0)) }
        }
    }

    static func fetchReviewItem(_ db: Database, id: String) throws -> ReviewItem? {
        try Row.fetchOne(db, sql: "SELECT \(ReviewRules.reviewItemColumns) FROM review_items WHERE id = ?", arguments: [id])
            .map { try ReviewRules.reviewItem(SQLiteRow($0)) }
    }

    /// Values for ``ReviewRules/reviewItemColumns``, in order.
    static func reviewItemValues(_ i: ReviewItem, dedupeKey: String?) -> [(any DatabaseValueConvertible)?] {
        [
            i.id, i.datasetID, i.kind, i.state.rawValue, i.title, StoreJSON.value(i.details), i.sourceJobID, dedupeKey, i.createdBy,
            i.createdAt.sqliteText, i.updatedAt.sqliteText, i.resolvedBy, i.resolvedAt?.sqliteText, i.resolution,
        ]
    }
}
