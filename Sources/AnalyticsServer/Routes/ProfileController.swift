import AnalyticsCore
import ControlPlane
import Foundation
import Hummingbird

/// Profiles and quality findings of a dataset (DESIGN §4): run the profiler now, read the latest
/// snapshot (or one version), list versions, read a snapshot's quality findings.
///
/// `POST …/profile` runs synchronously for now; the job worker will turn it into a job.
struct ProfileController {
    let service: ProfilingService

    func addRoutes(to api: RouteBuilder) {
        api.on(.post, "/datasets/{id}/profile") { _, context in
            let run = try await self.service.run(datasetID: context.parameters.require("id"), by: context.requirePrincipal())
            return try APIResponse.json(run, status: .created)
        }
        api.on(.get, "/datasets/{id}/profile") { request, context in
            let profile = try await self.service.profile(
                datasetID: context.parameters.require("id"),
                version: try Self.version(request),
                by: context.requirePrincipal()
            )
            return try APIResponse.json(profile)
        }
        api.on(.get, "/datasets/{id}/profile/versions") { _, context in
            let versions = try await self.service.versions(datasetID: context.parameters.require("id"), by: context.requirePrincipal())
            return try APIResponse.json(["versions": versions])
        }
        api.on(.get, "/datasets/{id}/quality") { request, context in
            let findings = try await self.service.findings(
                datasetID: context.parameters.require("id"),
                version: try Self.version(request),
                by: context.requirePrincipal()
            )
            return try APIResponse.json(findings)
        }
    }

    /// `?version=N` (a positive integer), or nil for the latest.
    static func version(_ request: Request) throws -> Int? {
        guard let raw = request.uri.queryParameters["version"] else { return nil }
        guard let version = Int(String(raw)), version >= 1 else {
            throw AnalyticsError.invalidRequest("version must be a positive integer, got '\(raw)'.", hint: "Omit it for the latest profile.")
        }
        return version
    }
}
