import AnalyticsCore
import AnalyticsServer
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP server: REST API under /api, MCP at /mcp, health, metrics.",
        discussion: """
            Every option can also come from the environment (MCPA_<OPTION>, e.g. MCPA_PORT) or from a JSON
            config file (--config / MCPA_CONFIG); flags win over the environment, which wins over the file.
            Connection secrets are encrypted with MCPA_SECRET_KEY (base64 of 32 bytes) when set, otherwise
            with a key file created on first run (mode 0600).
            """
    )

    @Option(help: "Address to listen on (env MCPA_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (env MCPA_PORT; default 8080).")
    var port: Int?

    @Flag(help: "Create and register the bundled synthetic consumer panel on first start (env MCPA_DEMO).")
    var demo = false

    @Flag(name: .customLong("no-auth"), help: "Disable bearer auth; refused unless the host is a loopback address (env MCPA_NO_AUTH).")
    var noAuth = false

    @OptionGroup var options: StoreOptions

    @OptionGroup(title: "Query engine") var engine: EngineOptions

    func run() async throws {
        try await self.reportingErrors {
            var extra = self.engine.flags
            extra["host"] = self.host
            extra["port"] = self.port.map(String.init)
            if self.demo { extra["demo"] = "true" }
            if self.noAuth { extra["no-auth"] = "true" }
            let configuration = try self.options.resolve(extra: extra)
            let logger = CommandLogging.bootstrap(configuration)
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            if configuration.demo {
                try await DemoWelcome.issueFirstToken(configuration: configuration, logger: logger)
            }
            let dependencies = try ServerRuntime.dependencies(configuration: configuration, logger: logger, metrics: registry)
            let app = AnalyticsApplication.build(dependencies)
            logger.info(
                "starting",
                metadata: [
                    "mcpa.url": "http://\(configuration.host):\(configuration.port)",
                    "mcpa.store": "\(dependencies.store.backend)",
                    "mcpa.version": "\(BuildInfo.version)",
                ]
            )
            try await app.runService()
        }
    }
}
