import AnalyticsCore
import AnalyticsServer
import Foundation
import Identity
import Logging

/// What `serve --demo` tells a newcomer on the terminal: where things are, and — on the very first
/// start, when the store has no tokens yet — an admin account with a random password for the sign-in
/// page and an admin token, both shown once like `tokens create` does.
enum DemoWelcome {
    static let adminEmail = "admin@demo.example"

    static func issueFirstToken(configuration: ServerConfiguration, logger: Logger) async throws {
        let password = "demo-" + UUID().uuidString.lowercased().prefix(13)
        let issued = try await StoreSession.with(url: configuration.store, logger: logger) { store -> TokenService.Issued? in
            guard try await store.tokens().isEmpty, !configuration.noAuth else { return nil }
            _ = try await UserService(store: store, hasher: PasswordHasher(cost: 10), logger: logger)
                .create(email: Self.adminEmail, displayName: "Demo admin", role: .admin, password: String(password))
            return try await TokenService(store: store).create(name: "demo-admin", role: .admin, userEmail: Self.adminEmail)
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
                "  Admin sign-in for OAuth connectors (shown only now): \(Self.adminEmail) / \(password)",
                "  Try: curl -H 'Authorization: Bearer \(issued.token)' \(base)/api/datasets",
            ]
        } else if !configuration.noAuth {
            lines.append("  Tokens: `mcp-analytics tokens create --name me --role admin` prints one.")
        }
        FileHandle.standardError.write(Data((lines + [""]).joined(separator: "\n").utf8))
    }
}
