import AnalyticsCore
import Foundation
import MetadataStore

/// The job use cases of the REST API: read a job, list jobs (of a dataset), cancel one.
///
/// Anyone who may read the registry may watch jobs (they hold no secrets: errors are coded
/// messages); cancelling needs the reviewer role, the same as starting profiling or drafting.
public struct JobService: Sendable {
    public static let defaultListLimit = 50
    public static let maxListLimit = 500

    let store: any MetadataStore
    let client: JobQueueClient

    public init(store: any MetadataStore, client: JobQueueClient) {
        self.store = store
        self.client = client
    }

    public func job(_ id: String, by principal: Principal) async throws -> JobRecord {
        try principal.require(.readRegistry)
        guard let job = try await self.store.job(id: id) else { throw Self.notFound(id) }
        return job
    }

    /// Newest first; `limit` defaults to 50 and may be 1–500.
    public func jobs(datasetID: String?, limit: Int?, by principal: Principal) async throws -> [JobRecord] {
        try principal.require(.readRegistry)
        let limit = limit ?? Self.defaultListLimit
        guard (1...Self.maxListLimit).contains(limit) else {
            throw AnalyticsError.invalidRequest("limit must be between 1 and \(Self.maxListLimit), got \(limit).")
        }
        if let datasetID, try await self.store.dataset(id: datasetID) == nil {
            throw AnalyticsError.datasetNotFound(datasetID)
        }
        return try await self.store.jobs(datasetID: datasetID, limit: limit)
    }

    /// Cancels a queued job at once and asks a running one to stop; finished jobs come back unchanged.
    public func cancel(_ id: String, by principal: Principal) async throws -> JobRecord {
        try principal.require(.reviewDatasets)
        do {
            return try await self.client.cancel(id: id)
        } catch let error as AnalyticsError where error.code == .jobNotFound {
            throw Self.notFound(id)
        }
    }

    static func notFound(_ id: String) -> AnalyticsError {
        AnalyticsError(.jobNotFound, "No job with id '\(id)'.", hint: "List a dataset's jobs with GET /api/jobs?dataset_id=….")
    }
}
