import AnalyticsCore
import Testing

@testable import AnalyticsServer

@Suite("MCP settings")
struct MCPConfigurationTests {
    @Test("flags, environment and defaults resolve the MCP settings")
    func resolve() throws {
        let defaults = try ServerConfiguration.resolve(flags: [:], environment: [:])
        #expect(defaults.mcpStateless == false)
        #expect(defaults.mcpSessionIdleSeconds == 1_800)
        #expect(defaults.mcpAllowedHosts.isEmpty)
        let configured = try ServerConfiguration.resolve(
            flags: ["mcp-allowed-hosts": "a.example.com, b.example.com:*", "mcp-tools-page-size": "4"],
            environment: ["MCPA_MCP_STATELESS": "true", "MCPA_MCP_ALLOWED_ORIGINS": "https://x.example", "MCPA_MCP_MAX_SESSIONS": "20"]
        )
        #expect(configured.mcpAllowedHosts == ["a.example.com", "b.example.com:*"])
        #expect(configured.mcpAllowedOrigins == ["https://x.example"])
        #expect(configured.mcpStateless)
        #expect(configured.mcpToolsPageSize == 4)
        #expect(configured.mcpMaxSessions == 20)
    }

    @Test(
        "out-of-range or malformed MCP settings are INVALID_REQUEST",
        arguments: [
            ["mcp-session-idle-seconds": "1"], ["mcp-max-sessions": "0"], ["mcp-tools-page-size": "many"], ["mcp-stateless": "maybe"],
        ]
    )
    func invalid(flags: [String: String]) {
        #expect(throws: AnalyticsError.self) { try ServerConfiguration.resolve(flags: flags, environment: [:]) }
    }
}
