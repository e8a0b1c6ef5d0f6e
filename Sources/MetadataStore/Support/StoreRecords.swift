import AnalyticsCore
import Foundation

/// Decodes the store's records from rows; the column names are the same on both backends.
enum StoreRecords {
    /// Columns of `datasets`, in the order both backends select and insert them.
    static let datasetColumns = """
        id, name, description, state, tags, owner, default_persona, connection_kind, redacted_url, settings, \
        weighting, metadata, warnings, version, ever_approved, created_by, created_at, updated_at
        """

    static let jobColumns = """
        id, kind, dataset_id, payload, state, attempts, max_attempts, run_after, lease_owner, lease_expires_at, \
        progress, message, result, error, cancel_requested, created_at, updated_at, dedupe_key
        """

    static let queryLogColumns = """
        id, at, principal_id, principal_name, client_name, client_version, tool, dataset_ids, normalized_sql, \
        fingerprint, status, error_code, duration_ms, row_count, byte_count, cached, plan_id, prompt_hash, persona
        """

    static let tokenColumns = "id, name, role, user_id, created_at, last_used_at, revoked_at"

    static func dataset(_ row: some StoreRow) throws -> Dataset {
        try self.decoding("dataset") {
            let stateText = try row.string("state")
            let kindText = try row.string("connection_kind")
            guard let state = LifecycleState(rawValue: stateText), let kind = ConnectionURL.Kind(rawValue: kindText) else {
                throw StoreFailure.corrupt("dataset")
            }
            return Dataset(
                id: try row.string("id"),
                name: try row.string("name"),
                description: try row.string("description"),
                state: state,
                tags: try StoreJSON.decode([String].self, from: try row.string("tags"), what: "dataset tag list"),
                owner: try row.optionalString("owner"),
                defaultPersona: try row.optionalString("default_persona"),
                connectionKind: kind,
                redactedURL: try row.string("redacted_url"),
                settings: try StoreJSON.decode(DatasetSettings.self, from: try row.string("settings"), what: "dataset settings"),
                weighting: try StoreJSON.optionalValue(from: try row.optionalString("weighting"), what: "weighting"),
                metadata: try StoreJSON.optionalValue(from: try row.optionalString("metadata"), what: "dataset metadata"),
                warnings: try StoreJSON.decode([String].self, from: try row.string("warnings"), what: "dataset warnings"),
                version: try row.int("version"),
                everApproved: try row.bool("ever_approved"),
                createdBy: try row.string("created_by"),
                createdAt: try row.date("created_at"),
                updatedAt: try row.date("updated_at")
            )
        }
    }

    static func metadataVersion(_ row: some StoreRow) throws -> MetadataVersion {
        try self.decoding("metadata version") {
            MetadataVersion(
                datasetID: try row.string("dataset_id"),
                version: try row.int("version"),
                author: try row.string("author"),
                note: try row.optionalString("note"),
                at: try row.date("at"),
                snapshot: try StoreJSON.decode(Dataset.self, from: try row.string("snapshot"), what: "dataset snapshot")
            )
        }
    }

    static func transition(_ row: some StoreRow) throws -> TransitionRecord {
        try self.decoding("transition") {
            guard let from = LifecycleState(rawValue: try row.string("from_state")),
                let to = LifecycleState(rawValue: try row.string("to_state"))
            else { throw StoreFailure.corrupt("transition") }
            return TransitionRecord(
                datasetID: try row.string("dataset_id"),
                from: from,
                to: to,
                actor: try row.string("actor"),
                note: try row.optionalString("note"),
                at: try row.date("at")
            )
        }
    }

    static func sealedSecret(_ row: some StoreRow) throws -> SealedSecret {
        try self.decoding("secret") {
            SealedSecret(keyID: try row.string("key_id"), combined: try row.data("ciphertext"))
        }
    }

    static func token(_ row: some StoreRow) throws -> APIToken {
        try self.decoding("API token") {
            guard let role = Role(rawValue: try row.string("role")) else { throw StoreFailure.corrupt("API token") }
            return APIToken(
                id: try row.string("id"),
                name: try row.string("name"),
                role: role,
                userID: try row.string("user_id"),
                createdAt: try row.date("created_at"),
                lastUsedAt: try row.optionalDate("last_used_at"),
                revokedAt: try row.optionalDate("revoked_at")
            )
        }
    }

    static func event(_ row: some StoreRow) throws -> ChangeEvent {
        try self.decoding("change event") {
            ChangeEvent(
                id: try row.int64("id"),
                kind: ChangeEvent.Kind(try row.string("kind")),
                datasetID: try row.optionalString("dataset_id"),
                payload: try StoreJSON.value(from: try row.string("payload"), what: "event payload"),
                at: try row.date("at")
            )
        }
    }

    static func job(_ row: some StoreRow) throws -> JobRecord {
        try self.decoding("job") {
            guard let state = JobRecord.State(rawValue: try row.string("state")) else { throw StoreFailure.corrupt("job") }
            return JobRecord(
                id: try row.string("id"),
                kind: try row.string("kind"),
                datasetID: try row.optionalString("dataset_id"),
                payload: try StoreJSON.value(from: try row.string("payload"), what: "job payload"),
                state: state,
                attempts: try row.int("attempts"),
                maxAttempts: try row.int("max_attempts"),
                runAfter: try row.date("run_after"),
                leaseOwner: try row.optionalString("lease_owner"),
                leaseExpiresAt: try row.optionalDate("lease_expires_at"),
                progress: try row.int("progress"),
                message: try row.optionalString("message"),
                result: try StoreJSON.optionalValue(from: try row.optionalString("result"), what: "job result"),
                error: try row.optionalString("error"),
                cancelRequested: try row.bool("cancel_requested"),
                createdAt: try row.date("created_at"),
                updatedAt: try row.date("updated_at"),
                dedupeKey: try row.optionalString("dedupe_key")
            )
        }
    }

    static func queryLogEntry(_ row: some StoreRow) throws -> QueryLogEntry {
        try self.decoding("query log entry") {
            guard let status = QueryLogEntry.Status(rawValue: try row.string("status")) else {
                throw StoreFailure.corrupt("query log entry")
            }
            return QueryLogEntry(
                id: try row.string("id"),
                at: try row.date("at"),
                principalID: try row.string("principal_id"),
                principalName: try row.string("principal_name"),
                clientName: try row.optionalString("client_name"),
                clientVersion: try row.optionalString("client_version"),
                tool: try row.string("tool"),
                datasetIDs: try StoreJSON.decode([String].self, from: try row.string("dataset_ids"), what: "query log datasets"),
                normalizedSQL: try row.optionalString("normalized_sql"),
                fingerprint: try row.optionalString("fingerprint"),
                status: status,
                errorCode: try row.optionalString("error_code"),
                durationMs: try row.double("duration_ms"),
                rows: try row.int("row_count"),
                bytes: try row.int("byte_count"),
                cached: try row.bool("cached"),
                planID: try row.optionalString("plan_id"),
                promptHash: try row.optionalString("prompt_hash"),
                persona: try row.optionalString("persona")
            )
        }
    }

    /// Runs a decoder, turning driver decoding failures into a coded "corrupt row" error.
    static func decoding<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as AnalyticsError {
            throw error
        } catch {
            throw StoreFailure.corrupt(what)
        }
    }

    /// Rounds every date in a query log entry to the store's precision (what a read returns).
    static func normalized(_ entry: QueryLogEntry) -> QueryLogEntry {
        var entry = entry
        entry.at = StoreTimestamp.normalize(entry.at)
        return entry
    }
}
