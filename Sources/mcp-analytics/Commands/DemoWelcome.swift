import AnalyticsCore
import AnalyticsServer
import ControlPlane
import Foundation
import Logging

/// What `serve --demo` tells a newcomer on the terminal: where things are, and — on the very first
/// start, when the store has no tokens yet — an admin token, shown once like `tokens create` does.
enum DemoWelcome {
    static func issueFirstToken(configuration: ServerConfiguration, logger: Logger) async throws {
        let issued = try await StoreSession.with(url: configuration.store, logger: logger) { store -> TokenService.Issued? in
            guard try await store.tokens().isEmpty, !configuration.noAuth else { return nil }
            return try await TokenService(store: store).create(name: "demo-admin", role: .admin)
        }
        let base = "http://\(configuration.host):\(configuration.port)"
        var lines = [
            "",
            "MCP Analytics Server \(BuildInfo.version) — demo panel",
            "  health     \(base)/health",
            "  REST API   \(base)/api/datasets   (OpenAPI: \(base)/openapi.json)",
            "  MCP        \(base)/mcp",
            "  metrics    \(base)/metrics",
        ]
        if let issued {
            lines += [
                "",
                "  Admin token (shown only now; create more with `mcp-analytics tokens create`):",
                "    \(issued.token)",
                "  Try: curl -H 'Authorization: Bearer \(issued.token)' \(base)/api/datasets",
            ]
        } else if !configuration.noAuth {
            lines.append("  Tokens: `mcp-analytics tokens create --name me --role admin` prints one.")
        }
        FileHandle.standardError.write(Data((lines + [""]).joined(separator: "\n").utf8))
    }
}
