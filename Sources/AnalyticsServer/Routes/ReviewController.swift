import AnalyticsCore
import ControlPlane
import Foundation
import Hummingbird
import MetadataStore

/// Review (DESIGN §4, §5.4): a dataset's metadata document, review decisions, fresh drafts,
/// drift reports, and review items raised by the pipeline.
struct ReviewController {
    let service: ReviewService

    func addRoutes(to api: RouteBuilder) {
        api.on(.get, "/datasets/{id}/metadata") { _, context in
            try APIResponse.json(try await self.service.metadata(context.parameters.require("id"), by: context.requirePrincipal()))
        }
        api.on(.put, "/datasets/{id}/metadata") { request, context in
            let body = try await request.decodeJSON(
                as: MetadataUpdate.self,
                allowedKeys: MetadataUpdate.CodingKeys.allCases.map(\.rawValue),
                context: context
            )
            return try APIResponse.json(
                try await self.service.replaceMetadata(context.parameters.require("id"), body, by: context.requirePrincipal())
            )
        }
        api.on(.post, "/datasets/{id}/review") { request, context in
            let body = try await request.decodeJSON(
                as: ReviewDecisionRequest.self,
                allowedKeys: ReviewDecisionRequest.CodingKeys.allCases.map(\.rawValue),
                context: context
            )
            return try APIResponse.json(try await self.service.decide(context.parameters.require("id"), body, by: context.requirePrincipal()))
        }
        api.on(.post, "/datasets/{id}/draft") { _, context in
            let job = try await self.service.requestDraft(context.parameters.require("id"), by: context.requirePrincipal())
            return try APIResponse.json(job, status: .accepted)
        }
        api.on(.get, "/datasets/{id}/drift-reports") { request, context in
            let reports = try await self.service.driftReports(
                datasetID: context.parameters.require("id"),
                limit: try QueryParameters.integer(request, "limit"),
                by: context.requirePrincipal()
            )
            return try APIResponse.json(["drift_reports": reports])
        }
        api.on(.get, "/review-items") { request, context in
            let state = try request.uri.queryParameters["state"].map { raw -> ReviewItem.State in
                guard let state = ReviewItem.State(rawValue: String(raw)) else {
                    throw AnalyticsError.invalidRequest("Unknown review item state '\(raw)'.", hint: "Use open or resolved.")
                }
                return state
            }
            let items = try await self.service.reviewItems(
                datasetID: request.uri.queryParameters["dataset_id"].map(String.init),
                state: state,
                limit: try QueryParameters.integer(request, "limit"),
                by: context.requirePrincipal()
            )
            return try APIResponse.json(["review_items": items])
        }
        api.on(.get, "/review-items/{id}") { _, context in
            try APIResponse.json(try await self.service.reviewItem(context.parameters.require("id"), by: context.requirePrincipal()))
        }
        api.on(.post, "/review-items/{id}/resolve") { request, context in
            let body = try await request.decodeJSON(
                as: ResolveReviewItemRequest.self,
                allowedKeys: ResolveReviewItemRequest.CodingKeys.allCases.map(\.rawValue),
                context: context
            )
            return try APIResponse.json(try await self.service.resolve(context.parameters.require("id"), body, by: context.requirePrincipal()))
        }
    }
}
