import Foundation

/// Settings of the MCP endpoint.
extension ServerConfiguration {
    static let mcpOptions: [Option] = [
        .boolean(
            "mcp-stateless",
            \.mcpStateless,
            .mcp,
            switch: true,
            "Serve /mcp without sessions (each POST stands alone), for replicas behind a load balancer."
        ),
        .list(
            "mcp-allowed-hosts",
            \.mcpAllowedHosts,
            .mcp,
            value: "hosts",
            shown: "loopback names on a loopback host, any host otherwise",
            "Comma-separated Host values /mcp accepts: name, name:port, name:* or *."
        ),
        .list(
            "mcp-allowed-origins",
            \.mcpAllowedOrigins,
            .mcp,
            value: "origins",
            shown: "same-origin, and loopback origins on a loopback host",
            "Comma-separated browser Origins /mcp accepts besides same-origin, e.g. https://app.example.com or *."
        ),
        .integer(
            "mcp-session-idle-seconds",
            \.mcpSessionIdleSeconds,
            10...86_400,
            .mcp,
            value: "seconds",
            "Seconds an MCP session may sit unused before it ends."
        ),
        .integer("mcp-max-sessions", \.mcpMaxSessions, 1...100_000, .mcp, "MCP sessions held at once; beyond it initialize answers 503."),
        .integer("mcp-tools-page-size", \.mcpToolsPageSize, 0...100, .mcp, "Tools per tools/list page; 0 lists all in one page."),
    ]

    /// A comma-separated list; blanks dropped.
    static func list(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
