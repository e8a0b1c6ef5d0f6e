import AnalyticsCore
import AnalyticsServer
import ArgumentParser
import Foundation
import Identity

struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Create, list and revoke API tokens (only their SHA-256 is stored).",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print it once.")

        @Option(help: "A name for the token, e.g. who or what uses it.")
        var name: String

        @Option(help: "admin, reviewer, analyst or viewer; default the user's role, which it may not exceed.")
        var role: Role?

        @Option(help: "Email of the user the token acts for; without it a service account is created for the token.")
        var user: String?

        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await self.reportingErrors {
                let configuration = try self.options.resolve()
                let logger = CommandLogging.bootstrap(configuration)
                let issued = try await StoreSession.with(url: configuration.store, logger: logger) { store in
                    try await TokenService(store: store).create(name: self.name, role: self.role, userEmail: self.user)
                }
                print(issued.token)
                FileHandle.standardError.write(
                    Data(
                        "Token '\(issued.record.name)' (id \(issued.record.id), role \(issued.record.role.rawValue)) created. It is shown only now.\n"
                            .utf8
                    )
                )
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their values).")

        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await self.reportingErrors {
                let configuration = try self.options.resolve()
                let logger = CommandLogging.bootstrap(configuration)
                let tokens = try await StoreSession.with(url: configuration.store, logger: logger) { store in try await store.tokens() }
                for token in tokens {
                    let state = token.isRevoked ? "revoked" : "active"
                    print("\(token.id)\t\(token.role.rawValue)\t\(state)\t\(token.name)\tuser \(token.userID)")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by id.")

        @Argument(help: "The token id shown by `tokens list`.")
        var id: String

        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await self.reportingErrors {
                let configuration = try self.options.resolve()
                let logger = CommandLogging.bootstrap(configuration)
                let token = try await StoreSession.with(url: configuration.store, logger: logger) { store in
                    try await store.revokeToken(id: self.id)
                }
                print("Revoked \(token.id) (\(token.name)).")
            }
        }
    }
}

extension Role: ExpressibleByArgument {}
