import AnalyticsCore
import Foundation
import Logging
import MetadataStore
import Prometheus

/// Assembles the server's dependencies from a resolved configuration; shared by `serve`, `stdio` and the CLI.
public enum ServerRuntime {
    /// Opens the configured store and secret vault.
    public static func dependencies(
        configuration: ServerConfiguration,
        logger: Logger,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
    ) throws -> AppDependencies {
        let store = try MetadataStores.open(url: configuration.store, logger: logger)
        return try self.dependencies(configuration: configuration, store: store, logger: logger, metrics: metrics)
    }

    /// Uses an already open store.
    public static func dependencies(
        configuration: ServerConfiguration,
        store: any MetadataStore,
        logger: Logger,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
    ) throws -> AppDependencies {
        let vault = try SecretVault.load(
            environment: ProcessInfo.processInfo.environment,
            keyFile: configuration.resolvedSecretKeyFile,
            logger: logger
        )
        return AppDependencies(configuration: configuration, store: store, vault: vault, logger: logger, metrics: metrics)
    }
}
