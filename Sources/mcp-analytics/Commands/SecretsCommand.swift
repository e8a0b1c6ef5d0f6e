import AnalyticsCore
import AnalyticsServer
import ArgumentParser
import Foundation
import MetadataStore

struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Manage the encryption of stored connection secrets.",
        subcommands: [Rotate.self]
    )

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt every connection secret under a new key, row by row; running servers keep reading throughout.",
            discussion: """
                With a key file, a new key is generated and made active (old keys stay in the file for readers).
                With MCPA_SECRET_KEY, set it to the new key and list the old one in MCPA_SECRET_KEYS_PREVIOUS
                (for this command and for running servers) before rotating.
                """
        )

        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await self.reportingErrors {
                let configuration = try self.options.resolve()
                let logger = CommandLogging.bootstrap(configuration)
                let vault = try ServerRuntime.vault(configuration: configuration, logger: logger)
                let report = try await StoreSession.with(url: configuration.store, logger: logger) { store in
                    try await SecretRotation(store: store, vault: vault, logger: logger).rotate()
                }
                print("Active key \(report.keyID): re-encrypted \(report.reencrypted) secret(s), \(report.unchanged) already current.")
            }
        }
    }
}
