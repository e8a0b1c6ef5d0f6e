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
            Every option can also come from the environment (MCPA_<OPTION>, e.g. MCPA_PORT) or from a JSON
            config file (--config / MCPA_CONFIG); flags win over the environment, which wins over the file.
            Connection secrets are encrypted with MCPA_SECRET_KEY (base64 of 32 bytes) when set, otherwise
            with a key file created on first run (mode 0600).

            Metadata drafts use an OpenAI-compatible model when MCPA_LLM_API_KEY (or OPENAI_API_KEY) is set,
            and are written offline from the profile otherwise. The model is configured by environment only:
            MCPA_LLM_BASE_URL (default https://api.openai.com/v1), MCPA_LLM_MODEL (default gpt-4.1-mini),
            MCPA_LLM_FALLBACK_MODEL, MCPA_LLM_EMBEDDINGS_MODEL (default text-embedding-3-small),
            MCPA_LLM_TIMEOUT_SECONDS, MCPA_LLM_MAX_RETRIES, MCPA_LLM_BACKOFF_BASE_MS, MCPA_LLM_BACKOFF_CAP_MS.
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

    @Flag(
        name: .customLong("mcp-stateless"),
        help: "Serve /mcp without sessions (each POST stands alone), for replicas behind a load balancer (env MCPA_MCP_STATELESS)."
    )
    var mcpStateless = false

    @Option(
        name: .customLong("mcp-allowed-hosts"),
        help: """
            Comma-separated Host values /mcp accepts: name, name:port, name:* or * (env MCPA_MCP_ALLOWED_HOSTS; \
            default: loopback names on a loopback host, any host otherwise).
            """
    )
    var mcpAllowedHosts: String?

    @Option(
        name: .customLong("mcp-allowed-origins"),
        help: """
            Comma-separated browser Origins /mcp accepts besides same-origin, e.g. https://app.example.com or * \
            (env MCPA_MCP_ALLOWED_ORIGINS; loopback origins are allowed on a loopback host).
            """
    )
    var mcpAllowedOrigins: String?

    @Option(
        name: .customLong("mcp-session-idle-seconds"),
        help: "Seconds an MCP session may sit unused before it ends (env MCPA_MCP_SESSION_IDLE_SECONDS; default 1800)."
    )
    var mcpSessionIdleSeconds: Int?

    @Option(name: .customLong("mcp-max-sessions"), help: "MCP sessions held at once (env MCPA_MCP_MAX_SESSIONS; default 1000).")
    var mcpMaxSessions: Int?

    @Option(
        name: .customLong("mcp-tools-page-size"),
        help: "Tools per tools/list page; 0 lists all in one page (env MCPA_MCP_TOOLS_PAGE_SIZE; default 0)."
    )
    var mcpToolsPageSize: Int?

    @OptionGroup var options: StoreOptions

    @OptionGroup(title: "Query engine") var engine: EngineOptions

    @OptionGroup(title: "Jobs, onboarding and review") var onboarding: OnboardingOptions

    @OptionGroup(title: "Sign-in and OAuth") var identity: IdentityOptions

    func run() async throws {
        try await self.reportingErrors {
            var extra = self.engine.flags.merging(self.onboarding.flags) { engine, _ in engine }
                .merging(self.identity.flags) { first, _ in first }
            extra["host"] = self.host
            extra["port"] = self.port.map(String.init)
            if self.demo { extra["demo"] = "true" }
            if self.noAuth { extra["no-auth"] = "true" }
            if self.mcpStateless { extra["mcp-stateless"] = "true" }
            extra["mcp-allowed-hosts"] = self.mcpAllowedHosts
            extra["mcp-allowed-origins"] = self.mcpAllowedOrigins
            extra["mcp-session-idle-seconds"] = self.mcpSessionIdleSeconds.map(String.init)
            extra["mcp-max-sessions"] = self.mcpMaxSessions.map(String.init)
            extra["mcp-tools-page-size"] = self.mcpToolsPageSize.map(String.init)
            let configuration = try self.options.resolve(extra: extra)
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
