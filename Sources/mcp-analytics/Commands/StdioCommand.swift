import AnalyticsCore
import AnalyticsServer
import ArgumentParser
import Foundation
import Logging
import MCPTools
import ServiceLifecycle

struct StdioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stdio",
        abstract: "Serve MCP over stdin/stdout for local clients (Claude Desktop, IDEs); logs go to stderr.",
        discussion: """
            Uses the same store and tools as `serve`. The session acts as the local operator (admin), or as the \
            holder of --token (env MCPA_TOKEN) with that token's role. Tool-list changes made by other processes \
            on the same store reach the client as notifications/tools/list_changed.
            """
    )

    @Option(help: "Act as this API token's holder instead of the local operator (env MCPA_TOKEN).")
    var token: String?

    @OptionGroup var options: StoreOptions

    func run() async throws {
        try await self.reportingErrors {
            let configuration = try self.options.resolve()
            let logger = CommandLogging.bootstrap(configuration)
            let dependencies = try ServerRuntime.dependencies(configuration: configuration, logger: logger)
            let token = self.token ?? ProcessInfo.processInfo.environment["MCPA_TOKEN"]
            let authenticator = dependencies.identity.authenticator
            let stdio = MCPStdioService(mcp: dependencies.mcp.server, store: dependencies.store, logger: logger) {
                guard let token, !token.isEmpty else { return .localOperator }
                return try await authenticator.authenticate(token: token, resource: nil)
            }
            let watcher = ActiveDatasetWatcher(
                feed: dependencies.dataPlane.changeFeed,
                registry: dependencies.store,
                catalog: dependencies.mcp.catalog,
                logger: logger
            ) { _ in await stdio.announceRegistryChange() }
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: dependencies.store), .init(service: dependencies.connectors)]
                        + dependencies.dataPlane.services.map { .init(service: $0) }
                        + [
                            .init(service: watcher),
                            .init(service: stdio, successTerminationBehavior: .gracefullyShutdownGroup),
                        ],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
            )
            try await group.run()
        }
    }
}
