import AnalyticsCore
import Logging
import MCP

/// Builds the SDK `Server` for one MCP session — tools, resources, prompt and instructions — for
/// any transport (Streamable HTTP, stdio).
public struct AnalyticsMCPServer: Sendable {
    public let dispatcher: ToolDispatcher
    public let name: String
    public let version: String

    public init(dispatcher: ToolDispatcher, name: String = BuildInfo.name, version: String = BuildInfo.version) {
        self.dispatcher = dispatcher
        self.name = name
        self.version = version
    }

    var environment: ToolEnvironment { self.dispatcher.environment }

    public static let capabilities = Server.Capabilities(
        prompts: .init(listChanged: false),
        resources: .init(subscribe: false, listChanged: true),
        tools: .init(listChanged: true)
    )

    /// A server with every handler registered, started on `transport`. Progress notifications for a
    /// request are sent through `transport` carrying the request's progress token.
    public func start(session: MCPSessionState, transport: any Transport) async throws -> Server {
        let server = Server(
            name: self.name,
            version: self.version,
            title: "MCP Analytics",
            instructions: AnalyticsRules.instructions,
            capabilities: Self.capabilities,
            configuration: .default
        )
        await self.register(on: server, session: session, transport: transport)
        try await server.start(transport: transport) { info, _ in
            session.initialized(with: info)
        }
        return server
    }

    func register(on server: Server, session: MCPSessionState, transport: any Transport) async {
        let dispatcher = self.dispatcher
        let environment = self.environment
        let resources = AnalyticsResources(environment: environment)
        await server.withMethodHandler(ListTools.self) { params in
            let active = try await Self.protocolFailure(environment) {
                try await environment.catalog.activeDatasets(for: session.principal)
            }
            return try dispatcher.catalog.page(cursor: params.cursor, pageSize: environment.limits.toolsPageSize, datasetIDs: active.map(\.id))
        }
        await server.withMethodHandler(CallTool.self) { params in
            let reporter = params._meta?.progressToken.map { token in
                ProgressReporter(token: token) { data in try await transport.send(data) }
            }
            return try await dispatcher.call(params.name, arguments: params.arguments, caller: session.caller(tool: params.name), progress: reporter)
        }
        await server.withMethodHandler(ListResources.self) { _ in
            try await Self.protocolFailure(environment) { try await resources.list(principal: session.principal) }
        }
        await server.withMethodHandler(ListResourceTemplates.self) { _ in resources.templates }
        await server.withMethodHandler(ReadResource.self) { params in
            try await Self.protocolFailure(environment) { try await resources.read(params.uri, principal: session.principal) }
        }
        await server.withMethodHandler(ListPrompts.self) { _ in ListPrompts.Result(prompts: [AnalyticsResources.prompt]) }
        await server.withMethodHandler(GetPrompt.self) { params in
            guard params.name == AnalyticsResources.prompt.name else {
                throw MCPError.invalidParams("Unknown prompt '\(params.name)'. Prompts: \(AnalyticsResources.prompt.name).")
            }
            return try resources.prompt(arguments: params.arguments)
        }
    }

    /// Requests other than `tools/call` have no error result: a registry failure becomes a JSON-RPC
    /// error carrying only the stable message (driver details stay in the log).
    static func protocolFailure<T: Sendable>(_ environment: ToolEnvironment, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AnalyticsError {
            throw MCPError.serverError(code: -32000, message: "\(error.code.rawValue): \(error.message)")
        } catch let error as MCPError {
            throw error
        } catch {
            environment.logger.error("MCP request failed", metadata: ["mcpa.error.type": "\(type(of: error))"])
            throw MCPError.internalError("The server failed to complete the request.")
        }
    }
}
