import AnalyticsCore
import Foundation
import LLMClient
import Logging
import MetadataStore
import Prometheus

/// Assembles the server's dependencies from a resolved configuration; shared by `serve`, `stdio` and the CLI.
public enum ServerRuntime {
    /// Opens the configured store and secret vault.
    public static func dependencies(
        configuration: ServerConfiguration,
        logger: Logger,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> AppDependencies {
        let store = try MetadataStores.open(url: configuration.store, logger: logger)
        return try self.dependencies(configuration: configuration, store: store, logger: logger, metrics: metrics, environment: environment)
    }

    /// Uses an already open store. The language model's settings come from `MCPA_LLM_*` (and
    /// `OPENAI_API_KEY`); a malformed value fails here, at start-up.
    public static func dependencies(
        configuration: ServerConfiguration,
        store: any MetadataStore,
        logger: Logger,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> AppDependencies {
        let vault = try self.vault(configuration: configuration, logger: logger)
        let llm = try LLMConfiguration.fromEnvironment(environment)
        return AppDependencies(configuration: configuration, store: store, vault: vault, logger: logger, metrics: metrics, llm: llm)
    }

    /// The secret vault: `MCPA_SECRET_KEY` when set, else the configured key file (the configuration has
    /// already weighed the flag against `MCPA_SECRET_KEY_FILE`).
    public static func vault(configuration: ServerConfiguration, logger: Logger) throws -> SecretVault {
        var environment = ProcessInfo.processInfo.environment
        environment[SecretVault.keyFileVariable] = nil
        return try SecretVault.load(environment: environment, keyFilePath: configuration.resolvedSecretKeyFile, logger: logger)
    }
}
