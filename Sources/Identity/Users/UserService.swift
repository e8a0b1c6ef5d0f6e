import AnalyticsCore
import Foundation
import Logging
import MetadataStore

/// Users and their passwords, for the CLI, the admin API and the login page.
public struct UserService: Sendable {
    let store: any IdentityStore
    let hasher: PasswordHasher
    let logger: Logger

    public init(store: any IdentityStore, hasher: PasswordHasher = PasswordHasher(), logger: Logger) {
        self.store = store
        self.hasher = hasher
        self.logger = logger
    }

    /// Passwords shorter than this are refused: the login page is the only guess-rate limit.
    public static let minimumPasswordLength = 10

    /// Creates a user; `password` `nil` makes an account that signs in only upstream (OIDC) or acts
    /// through API tokens.
    public func create(email: String, displayName: String?, role: Role, password: String?) async throws -> User {
        var hash: String?
        if let password { hash = try await self.hasher.hash(try Self.checked(password)) }
        let user = User(
            id: UUID().uuidString.lowercased(),
            email: email,
            displayName: displayName ?? "",
            role: role,
            passwordHash: hash,
            createdAt: Date()
        )
        let created = try await self.store.createUser(user)
        self.logger.info("user created", metadata: ["mcpa.user": "\(created.id)", "mcpa.user.role": "\(role.rawValue)"])
        return created
    }

    /// The user with this email, or `USER_NOT_FOUND`.
    public func user(email: String) async throws -> User {
        guard let user = try await self.store.user(email: email) else {
            throw AnalyticsError(.userNotFound, "No user with email '\(email)'.", hint: "List users with `mcp-analytics users list`.")
        }
        return user
    }

    public func setActive(email: String, _ active: Bool) async throws -> User {
        let user = try await self.user(email: email)
        return try await self.store.updateUser(id: user.id) { $0.isActive = active }
    }

    public func setRole(email: String, _ role: Role) async throws -> User {
        let user = try await self.user(email: email)
        return try await self.store.updateUser(id: user.id) { $0.role = role }
    }

    public func resetPassword(email: String, to password: String) async throws -> User {
        let user = try await self.user(email: email)
        let hash = try await self.hasher.hash(try Self.checked(password))
        return try await self.store.updateUser(id: user.id) { $0.passwordHash = hash }
    }

    /// The active user whose local password this is; `nil` for a wrong email or password or a
    /// disabled account (one answer for all three, in the same time). Records the login.
    public func signIn(email: String, password: String) async throws -> User? {
        let user = try await self.store.user(email: email)
        let matches = try await self.hasher.verify(password, hash: user?.passwordHash)
        guard let user, matches, user.isActive else {
            self.logger.notice("sign-in refused", metadata: ["mcpa.user.known": "\(user != nil)"])
            return nil
        }
        return try await self.store.updateUser(id: user.id) { $0.lastLoginAt = Date() }
    }

    static func checked(_ password: String) throws -> String {
        guard password.count >= self.minimumPasswordLength else {
            throw AnalyticsError.invalidRequest(
                "The password is too short.",
                hint: "Use at least \(self.minimumPasswordLength) characters."
            )
        }
        guard password.utf8.count <= 72 else {
            throw AnalyticsError.invalidRequest("The password is too long for bcrypt.", hint: "Use at most 72 bytes.")
        }
        return password
    }
}
