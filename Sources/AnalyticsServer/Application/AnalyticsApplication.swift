import AnalyticsCore
import ControlPlane
import Hummingbird
import Identity
import Logging
import MetadataStore
import ServiceLifecycle

/// Builds the Hummingbird application: routes, middleware and the long-running services it owns.
public enum AnalyticsApplication {
    /// The router with every route; `routes` records what was registered (for the OpenAPI check).
    public static func buildRouter(_ dependencies: AppDependencies, routes: RouteTable = RouteTable()) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: HostPolicyMiddleware(policy: dependencies.mcp.http.originPolicy, corsPaths: CORSMiddleware.paths))
        router.add(middleware: CORSMiddleware())
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: MetricsMiddleware())

        let root = RouteBuilder(router: router, prefix: "", table: routes)
        HealthController(store: dependencies.store).addRoutes(to: root)
        DocsController(metrics: dependencies.metrics).addRoutes(to: root)
        OAuthMetadataController(configuration: dependencies.configuration).addRoutes(to: root)
        OAuthController(identity: dependencies.identity, configuration: dependencies.configuration).addRoutes(to: root)

        let authenticator = dependencies.identity.authenticator
        let api = RouteBuilder(router: router, prefix: "/api", table: routes)
            .adding(middleware: AuthMiddleware(authenticator: authenticator, disabled: dependencies.configuration.noAuth))
        DatasetController(service: dependencies.datasetService, users: dependencies.store).addRoutes(to: api)
        ProfileController(service: dependencies.profilingService, pipeline: dependencies.onboarding.pipeline).addRoutes(to: api)
        JobController(service: dependencies.jobService).addRoutes(to: api)
        ReviewController(service: dependencies.reviewService).addRoutes(to: api)
        UsageController(store: dependencies.store).addRoutes(to: api)
        TokenController(store: dependencies.store, authenticator: authenticator).addRoutes(to: api)
        WeightingController(service: dependencies.weightingService, engine: dependencies.dataPlane.engine).addRoutes(to: api)
        QueryController(engine: dependencies.dataPlane.engine, queryLog: dependencies.store).addRoutes(to: api)
        IdentityController(store: dependencies.store, identity: dependencies.identity).addRoutes(to: api)

        let mcp = RouteBuilder(router: router, prefix: "", table: routes)
            .adding(middleware: MCPAuthMiddleware(authenticator: authenticator, configuration: dependencies.configuration))
        MCPController(service: dependencies.mcp.http).addRoutes(to: mcp)
        return router
    }

    /// The application ready to run; the store runs as one of its services.
    ///
    /// - Parameter prepare: runs once the store is migrated, before the server accepts requests (the
    ///   executable's `--demo` registers the demo panel here, so the product libraries do not carry it).
    public static func build(
        _ dependencies: AppDependencies,
        routes: RouteTable = RouteTable(),
        prepare: (@Sendable () async throws -> Void)? = nil
    ) -> some ApplicationProtocol {
        let configuration = dependencies.configuration
        if configuration.noAuth {
            dependencies.logger.warning(
                "authentication is disabled (--no-auth): every request runs as admin",
                metadata: ["mcpa.host": "\(configuration.host)"]
            )
        }
        if configuration.oauth.publicURL == nil, !ServerConfiguration.isLoopback(configuration.host) {
            dependencies.logger.warning(
                "no --public-url: the OAuth issuer and token audience follow each request's Host header; set the public HTTPS URL",
                metadata: ["mcpa.host": "\(configuration.host)"]
            )
        }
        var app = Application(
            router: self.buildRouter(dependencies, routes: routes),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: BuildInfo.name),
            logger: dependencies.logger
        )
        app.addServices(dependencies.store, dependencies.connectors)
        app.addServices(dependencies.dataPlane.services)
        app.addServices(dependencies.mcp.services)
        app.addServices(dependencies.onboarding.services)
        app.beforeServerStarts {
            let applied = try await dependencies.store.migrate()
            if !applied.isEmpty {
                dependencies.logger.info("applied store migrations", metadata: ["mcpa.migrations": "\(applied.joined(separator: ","))"])
            }
            dependencies.onboarding.startGate.open()
            try await prepare?()
        }
        return app
    }
}
