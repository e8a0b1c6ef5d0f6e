import AnalyticsCore
import Foundation
import Hummingbird
import MetadataStore

/// Language-model token usage per call, for cost audits (viewers and up, like the query log).
struct UsageController {
    let store: any MetadataStore

    func addRoutes(to api: RouteBuilder) {
        api.on(.get, "/llm-usage") { request, context in
            try context.requirePrincipal().require(.readQueryLog)
            let limit = try QueryParameters.integer(request, "limit") ?? 100
            guard (1...1_000).contains(limit) else {
                throw AnalyticsError.invalidRequest("limit must be between 1 and 1000, got \(limit).")
            }
            let records = try await self.store.llmUsage(
                datasetID: request.uri.queryParameters["dataset_id"].map(String.init),
                jobID: request.uri.queryParameters["job_id"].map(String.init),
                limit: limit
            )
            let total = records.reduce(0) { $0 + $1.totalTokens }
            return try APIResponse.json(UsageList(usage: records, totalTokens: total))
        }
    }
}

struct UsageList: Encodable {
    var usage: [LLMUsageRecord]
    var totalTokens: Int

    enum CodingKeys: String, CodingKey {
        case usage
        case totalTokens = "total_tokens"
    }
}
