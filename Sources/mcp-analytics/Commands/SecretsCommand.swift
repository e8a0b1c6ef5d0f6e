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
            abstract: "Re-encrypt every connection secret under a new key, row by row; running servers keep reading throughout."
        )

        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await self.reportingErrors {
                let configuration = try self.options.resolve()
                let logger = CommandLogging.bootstrap(configuration)
                let count = try await StoreSession.with(url: configuration.store, logger: logger) { store in
                    try await SecretRotation.rotate(
                        store: store,
                        environment: ProcessInfo.processInfo.environment,
                        keyFile: configuration.resolvedSecretKeyFile,
                        logger: logger
                    )
                }
                print("Re-encrypted \(count) secret(s) under the new key.")
            }
        }
    }
}
