import AnalyticsCore
import AnalyticsServer
import ArgumentParser
import DemoPanel
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
            Every setting can also come from the environment (MCPA_<OPTION>, e.g. MCPA_PORT) or from a JSON
            config file (--config / MCPA_CONFIG); flags win over the environment, which wins over the file.
            Connection secrets are encrypted with MCPA_SECRET_KEY (base64 of 32 bytes) when set, otherwise
            with a key file created on first run (mode 0600).

            Metadata drafts use an OpenAI-compatible model when MCPA_LLM_API_KEY (or OPENAI_API_KEY) is set,
            and are written offline from the profile otherwise. The model is configured by environment only:
            MCPA_LLM_BASE_URL (default https://api.openai.com/v1), MCPA_LLM_MODEL (default gpt-4.1-mini),
            MCPA_LLM_FALLBACK_MODEL, MCPA_LLM_EMBEDDINGS_MODEL (default text-embedding-3-small),
            MCPA_LLM_TIMEOUT_SECONDS, MCPA_LLM_MAX_RETRIES, MCPA_LLM_BACKOFF_BASE_MS, MCPA_LLM_BACKOFF_CAP_MS.

            """ + ServerConfiguration.settingsHelp()
    )

    /// Every setting, read by ``ServerConfiguration/commandLine(_:)`` from the one table that declares them.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var settings: [String] = []

    func run() async throws {
        try await self.reportingErrors {
            let commandLine = try ServerConfiguration.commandLine(self.settings)
            let configuration = try ServerConfiguration.resolve(
                flags: commandLine.flags,
                environment: ProcessInfo.processInfo.environment,
                configFile: commandLine.configFile
            )
            let logger = CommandLogging.bootstrap(configuration)
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            if configuration.demo {
                try await DemoWelcome.issueFirstToken(configuration: configuration, logger: logger)
            }
            let dependencies = try ServerRuntime.dependencies(configuration: configuration, logger: logger, metrics: registry)
            let app = AnalyticsApplication.build(
                dependencies,
                prepare: configuration.demo
                    ? DemoBootstrap.prepare(
                        service: dependencies.datasetService,
                        store: dependencies.store,
                        logger: dependencies.logger,
                        dataDirectory: dependencies.configuration.dataDirectory
                    ) : nil
            )
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
