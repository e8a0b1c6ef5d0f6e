import AnalyticsCore
import AnalyticsServer

/// The baseline: the same statement through the REST engine path, `POST /api/query`.
struct RESTQueryPath: Sendable {
    let http: BenchHTTP

    static let path = "/api/query"

    func execute(_ sql: String, datasetID: String) async -> (BenchCallOutcome, Duration?) {
        let body: JSONValue = ["dataset_id": .string(datasetID), "sql": .string(sql)]
        do {
            let reply = try await self.http.send(.post, Self.path, body: body.serialized())
            return (BenchCallOutcome.rest(reply), reply.elapsed)
        } catch {
            return (.unreachable(error), nil)
        }
    }
}
