import AnalyticsCore
import Foundation
import MetadataStore

/// Issues API tokens: the plain token is returned once and only its hash is stored. Every token acts
/// for a user; a token made without one gets a service account of its own.
public struct TokenService: Sendable {
    let store: any TokenStore & IdentityStore

    public init(store: any TokenStore & IdentityStore) {
        self.store = store
    }

    /// A newly issued token; `token` is shown this once.
    public struct Issued: Encodable, Sendable {
        public var token: String
        public var record: APIToken

        enum CodingKeys: String, CodingKey {
            case token
            case record = "token_info"
        }
    }

    /// Issues a token named `name` for the user with `userEmail`; its role defaults to the user's and
    /// may not exceed it. Without a user, a service account named after the token is created.
    public func create(name: String, role: Role?, userEmail: String? = nil) async throws -> Issued {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(trimmed.count) else {
            throw AnalyticsError.invalidRequest("A token name must have 1–100 characters.")
        }
        let user: User
        if let userEmail {
            guard let found = try await self.store.user(email: userEmail) else {
                throw AnalyticsError(.userNotFound, "No user with email '\(userEmail)'.", hint: "Create the user first.")
            }
            guard found.isActive else {
                throw AnalyticsError.invalidRequest("User '\(found.email)' is disabled.", hint: "Enable the user first.")
            }
            user = found
        } else {
            guard let role else {
                throw AnalyticsError.invalidRequest("A token without a user needs a role.", hint: "Pass a role, or a user email.")
            }
            let id = UUID().uuidString.lowercased()
            user = try await self.store.createUser(
                User(id: id, email: "token-\(id)@tokens.invalid", displayName: trimmed, role: role, createdAt: Date())
            )
        }
        let tokenRole = role ?? user.role
        guard tokenRole <= user.role else {
            throw AnalyticsError(
                .accessDenied,
                "A token cannot have role '\(tokenRole.rawValue)' above its user's role '\(user.role.rawValue)'.",
                hint: "Pick role '\(user.role.rawValue)' or lower, or change the user's role first."
            )
        }
        let token = TokenIssuer.generate()
        let record = try await self.store.createToken(name: trimmed, role: tokenRole, hash: TokenIssuer.hash(token), userID: user.id)
        return Issued(token: token, record: record)
    }
}
