import AnalyticsCore
import ControlPlane
import Foundation
import Hummingbird
import MetadataStore

/// Background jobs (DESIGN §4): read one, list them (of a dataset), cancel one.
struct JobController {
    let service: JobService

    func addRoutes(to api: RouteBuilder) {
        api.on(.get, "/jobs") { request, context in
            let datasetID = request.uri.queryParameters["dataset_id"].map(String.init)
            let limit = try QueryParameters.integer(request, "limit")
            let jobs = try await self.service.jobs(datasetID: datasetID, limit: limit, by: context.requirePrincipal())
            return try APIResponse.json(["jobs": jobs])
        }
        api.on(.get, "/jobs/{id}") { _, context in
            try APIResponse.json(try await self.service.job(context.parameters.require("id"), by: context.requirePrincipal()))
        }
        api.on(.post, "/jobs/{id}/cancel") { _, context in
            try APIResponse.json(try await self.service.cancel(context.parameters.require("id"), by: context.requirePrincipal()))
        }
    }
}

/// Query-string parsing shared by the list routes.
enum QueryParameters {
    /// `?name=N` as an integer, nil when absent; `INVALID_REQUEST` when not an integer.
    static func integer(_ request: Request, _ name: String) throws -> Int? {
        guard let raw = request.uri.queryParameters[Substring(name)] else { return nil }
        guard let value = Int(String(raw)) else {
            throw AnalyticsError.invalidRequest("\(name) must be an integer, got '\(raw)'.")
        }
        return value
    }
}
