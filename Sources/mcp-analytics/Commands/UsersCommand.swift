import AnalyticsCore
import AnalyticsServer
import ArgumentParser
import Foundation
import Identity
import MetadataStore

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Create and manage user accounts (passwords are stored as bcrypt hashes).",
        discussion: """
            Passwords are never taken on the command line: they are read from standard input (first line) when
            it is not a terminal, and prompted for without echo when it is.
            """,
        subcommands: [Create.self, List.self, Disable.self, Enable.self, SetRole.self, ResetPassword.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user; prints the user id.")

        @Option(help: "Email address; the sign-in name.")
        var email: String

        @Option(help: "admin, reviewer, analyst or viewer.")
        var role: Role

        @Option(help: "Display name shown beside the user id in audit trails (default: the email).")
        var name: String?

        @Flag(name: .customLong("no-password"), help: "Create the user without a local password (API tokens or upstream sign-in only).")
        var noPassword = false

        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await self.reportingErrors {
                let password = self.noPassword ? nil : try PasswordInput.read(prompt: "Password for \(self.email): ")
                let user = try await UsersCommand.withUsers(self.options) { users in
                    try await users.create(email: self.email, displayName: self.name, role: self.role, password: password)
                }
                print(user.id)
                FileHandle.standardError.write(Data("User \(user.email) (\(user.role.rawValue)) created.\n".utf8))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users: id, email, role, state, display name.")

        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await self.reportingErrors {
                let configuration = try self.options.resolve()
                let logger = CommandLogging.bootstrap(configuration)
                let users = try await StoreSession.with(url: configuration.store, logger: logger) { store in try await store.users() }
                for user in users {
                    print("\(user.id)\t\(user.email)\t\(user.role.rawValue)\t\(user.isActive ? "active" : "disabled")\t\(user.displayName)")
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: sign-in, tokens and OAuth grants stop working.")

        @Argument(help: "The user's email.")
        var email: String

        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await self.reportingErrors {
                let user = try await UsersCommand.withUsers(self.options) { users in try await users.setActive(email: self.email, false) }
                print("Disabled \(user.email).")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again.")

        @Argument(help: "The user's email.")
        var email: String

        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await self.reportingErrors {
                let user = try await UsersCommand.withUsers(self.options) { users in try await users.setActive(email: self.email, true) }
                print("Enabled \(user.email).")
            }
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-role", abstract: "Change a user's role.")

        @Argument(help: "The user's email.")
        var email: String

        @Argument(help: "admin, reviewer, analyst or viewer.")
        var role: Role

        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await self.reportingErrors {
                let user = try await UsersCommand.withUsers(self.options) { users in try await users.setRole(email: self.email, self.role) }
                print("\(user.email) is now \(user.role.rawValue).")
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-password", abstract: "Set a new local password.")

        @Argument(help: "The user's email.")
        var email: String

        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await self.reportingErrors {
                let password = try PasswordInput.read(prompt: "New password for \(self.email): ")
                let user = try await UsersCommand.withUsers(self.options) { users in try await users.resetPassword(email: self.email, to: password) }
                print("Password of \(user.email) changed.")
            }
        }
    }

    static func withUsers<T: Sendable>(_ options: StoreOptions, _ body: @escaping @Sendable (UserService) async throws -> T) async throws -> T {
        let configuration = try options.resolve()
        let logger = CommandLogging.bootstrap(configuration)
        return try await StoreSession.with(url: configuration.store, logger: logger) { store in
            try await body(UserService(store: store, logger: logger))
        }
    }
}

/// Reads a password without putting it on the command line: from standard input when it is piped,
/// otherwise from the terminal with echo off.
enum PasswordInput {
    static func read(prompt: String) throws -> String {
        let line: String?
        if isatty(STDIN_FILENO) == 1 {
            line = getpass(prompt).map { String(cString: $0) }
        } else {
            line = readLine(strippingNewline: true)
        }
        guard let line, !line.isEmpty else {
            throw AnalyticsError.invalidRequest("No password was given.", hint: "Pipe it on standard input, or type it at the prompt.")
        }
        return line
    }
}
