import Foundation

/// Settings of the MCP endpoint (`serve --help` lists them).
extension ServerConfiguration {
    static let mcpOptions: [Option] = [
        Option(name: "mcp-stateless") { config, value in config.mcpStateless = try bool("mcp-stateless", value) },
        Option(name: "mcp-allowed-hosts") { $0.mcpAllowedHosts = list($1) },
        Option(name: "mcp-allowed-origins") { $0.mcpAllowedOrigins = list($1) },
        Option(name: "mcp-session-idle-seconds") { config, value in
            config.mcpSessionIdleSeconds = try integer("mcp-session-idle-seconds", value, in: 10...86_400)
        },
        Option(name: "mcp-max-sessions") { config, value in
            config.mcpMaxSessions = try integer("mcp-max-sessions", value, in: 1...100_000)
        },
        Option(name: "mcp-tools-page-size") { config, value in
            config.mcpToolsPageSize = try integer("mcp-tools-page-size", value, in: 0...100)
        },
    ]

    static func integer(_ name: String, _ value: String, in range: ClosedRange<Int>) throws -> Int {
        guard let int = Int(value), range.contains(int) else {
            throw invalid(name, value, "an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return int
    }

    /// A comma-separated list; blanks dropped.
    static func list(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
