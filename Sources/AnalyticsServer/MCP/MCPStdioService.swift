import AnalyticsCore
import Foundation
import Logging
import MCP
import MCPTools
import MetadataStore
import ServiceLifecycle
import Synchronization

/// MCP over stdin/stdout (`mcp-analytics stdio`): one session, the same tools as `/mcp`, for
/// local clients such as Claude Desktop. Logs go to stderr; stdout carries only protocol messages.
///
/// It returns when the client closes stdin (or on graceful shutdown), which ends the process.
public final class MCPStdioService: Service {
    let mcp: AnalyticsMCPServer
    let store: any MetadataStore
    let principal: @Sendable () async throws -> Principal
    let logger: Logger
    let server = Mutex<Server?>(nil)

    /// - Parameter principal: who the session acts as (the local operator, or a token's holder),
    ///   resolved once the store is running.
    public init(mcp: AnalyticsMCPServer, store: any MetadataStore, logger: Logger, principal: @escaping @Sendable () async throws -> Principal) {
        self.mcp = mcp
        self.store = store
        self.principal = principal
        var logger = logger
        logger[metadataKey: "mcpa.component"] = "mcp-stdio"
        self.logger = logger
    }

    public func run() async throws {
        _ = try await self.store.migrate()
        let principal = try await self.principal()
        let session = MCPSessionState(id: "stdio", principal: principal)
        let server = try await self.mcp.start(session: session, transport: StdioTransport(logger: self.logger))
        self.server.withLock { $0 = server }
        self.logger.info("serving MCP on stdio", metadata: ["mcpa.principal": "\(principal.name)"])
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await server.waitUntilCompleted() }
            group.addTask { try? await gracefulShutdown() }
            await group.next()
            group.cancelAll()
        }
        await server.stop()
        self.server.withLock { $0 = nil }
    }

    /// Sends `notifications/tools/list_changed` (and the resource list's) to the client.
    public func announceRegistryChange() async {
        guard let server = self.server.withLock({ $0 }) else { return }
        try? await server.notify(ToolListChangedNotification.message())
        try? await server.notify(ResourceListChangedNotification.message())
    }
}
