import AnalyticsCore
import Foundation
import MetadataStore
import Testing

extension TestApp {
    /// Follows `GET /api/jobs/{id}` until the job has ended (succeeded, failed or cancelled) and
    /// returns its last state. The deadline only keeps a broken worker from hanging the suite.
    func waitForJob(_ id: String, within seconds: Double = 120, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let result = try await self.request(.get, "/api/jobs/\(id)", as: .viewer)
            let job = try #require(result.json, "GET /api/jobs/\(id): \(result.text.prefix(300))", sourceLocation: sourceLocation)
            if let state = job["state"]?.stringValue, ["succeeded", "failed", "cancelled"].contains(state) { return job }
            guard Date() < deadline else {
                Issue.record("Job \(id) did not end: \(result.text.prefix(300))", sourceLocation: sourceLocation)
                return job
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Follows `GET /api/datasets/{id}` until the dataset is in `state` (or `within` runs out, which
    /// records an issue) and returns it.
    @discardableResult
    func waitForDataset(
        _ id: String,
        state: String,
        within seconds: Double = 180,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JSONValue? {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let result = try await self.request(.get, "/api/datasets/\(id)", as: .viewer)
            if result.json?["state"]?.stringValue == state { return result.json }
            guard Date() < deadline else {
                let jobs = try await self.request(.get, "/api/jobs?dataset_id=\(id)", as: .viewer)
                Issue.record(
                    "Dataset \(id) did not reach \(state): \(result.text.prefix(300)); jobs: \(jobs.text.prefix(1_500))",
                    sourceLocation: sourceLocation
                )
                return result.json
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Follows `GET /api/jobs?dataset_id=` until every job of the dataset has ended; returns them
    /// newest first.
    func waitForJobs(datasetID: String, within seconds: Double = 120, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [JSONValue] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let result = try await self.request(.get, "/api/jobs?dataset_id=\(datasetID)", as: .viewer)
            let jobs = result.json?["jobs"]?.arrayValue ?? []
            let ended = jobs.allSatisfy { ["succeeded", "failed", "cancelled"].contains($0["state"]?.stringValue ?? "") }
            if !jobs.isEmpty, ended { return jobs }
            guard Date() < deadline else {
                Issue.record("Jobs of \(datasetID) did not end: \(result.text.prefix(1_000))", sourceLocation: sourceLocation)
                return jobs
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
