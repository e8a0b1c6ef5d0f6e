import AnalyticsCore
import Foundation
import Hummingbird
import MetadataStore

/// `/health` and `/mcp/health`: unauthenticated liveness with store reachability, for load balancers
/// and uptime checks. They never reveal configuration beyond the store backend.
struct HealthController {
    let store: any MetadataStore

    func addRoutes(to builder: RouteBuilder) {
        builder.on(.get, "/health") { _, _ in await self.health(component: "api") }
        builder.on(.get, "/mcp/health") { _, _ in await self.health(component: "mcp") }
    }

    func health(component: String) async -> Response {
        var storeOK = true
        do { try await self.store.ping() } catch { storeOK = false }
        let body: JSONValue = [
            "status": .string(storeOK ? "ok" : "degraded"),
            "component": .string(component),
            "version": .string(BuildInfo.version),
            "store": ["backend": .string(self.store.backend), "reachable": .bool(storeOK)],
        ]
        return APIResponse.json(body, status: storeOK ? .ok : .serviceUnavailable)
    }
}
