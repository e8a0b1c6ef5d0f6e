import AnalyticsCore
import Foundation
import Logging
import MCP
import MCPTools
import ServiceLifecycle

/// The Streamable HTTP side of MCP: the session registry, and the loop that expires idle sessions
/// and keeps streams alive. Ends every session on graceful shutdown.
public final class MCPHTTPService: Service {
    let mcp: AnalyticsMCPServer
    let registry: MCPSessionRegistry
    let stateless: Bool
    let originPolicy: MCPOriginPolicy
    let logger: Logger
    /// How often idle sessions are looked for and keep-alive comments sent.
    let tick: Duration

    init(mcp: AnalyticsMCPServer, configuration: ServerConfiguration, logger: Logger, tick: Duration = .seconds(15)) {
        var logger = logger
        logger[metadataKey: "mcpa.component"] = "mcp-http"
        self.mcp = mcp
        self.stateless = configuration.mcpStateless
        self.originPolicy = MCPOriginPolicy(
            bindHost: configuration.host,
            allowedHosts: configuration.mcpAllowedHosts,
            allowedOrigins: configuration.mcpAllowedOrigins,
            publicURL: configuration.oauth.publicURL
        )
        self.registry = MCPSessionRegistry(
            mcp: mcp,
            maxSessions: configuration.mcpMaxSessions,
            idleTimeout: .seconds(configuration.mcpSessionIdleSeconds),
            logger: logger
        )
        self.logger = logger
        self.tick = tick
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: self.tick)
                } catch {
                    break
                }
                await self.registry.expireIdle()
                await self.registry.keepAlive()
            }
        }
        await self.registry.closeAll()
    }

    /// Tells every session that the tool list (and the dataset resources) changed.
    public func announceRegistryChange() async {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for message in [try? encoder.encode(ToolListChangedNotification.message()), try? encoder.encode(ResourceListChangedNotification.message())] {
            if let message { await self.registry.broadcast(message) }
        }
    }

    /// Sessions open now.
    public var sessionCount: Int {
        get async { await self.registry.count }
    }
}
