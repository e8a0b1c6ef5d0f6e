import AnalyticsCore
import Foundation

/// People and what they have allowed: users, browser sessions, upstream identities, and the OAuth
/// authorization server's clients, codes, grants and tokens. Secrets are stored as SHA-256 (tokens,
/// codes, session ids) or bcrypt (passwords), never in clear.
public protocol IdentityStore: Sendable {
    /// Stores a new user; the email is lowercased. An email already taken is `CONFLICT`.
    func createUser(_ user: User) async throws -> User
    func user(id: String) async throws -> User?
    /// Case-insensitive.
    func user(email: String) async throws -> User?
    /// Every user, oldest first.
    func users() async throws -> [User]
    /// Read-modify-write of one user in a transaction. `id` and `createdAt` cannot change. Throws
    /// `USER_NOT_FOUND`, or `CONFLICT` for an email another user holds.
    func updateUser(id: String, _ change: @Sendable (inout User) throws -> Void) async throws -> User
    /// The local user an upstream identity (OIDC issuer and subject) is linked to.
    func userID(issuer: String, subject: String) async throws -> String?
    /// Links an upstream identity to a user; linking the same pair again is a no-op.
    func linkIdentity(issuer: String, subject: String, userID: String) async throws

    func createSession(_ session: UserSession) async throws
    /// The session with this hash, expired or not (the caller checks expiry).
    func session(hash: String) async throws -> UserSession?
    func deleteSession(hash: String) async throws

    /// Inserts or replaces a client by id; a replaced client keeps its first `createdAt`.
    func saveOAuthClient(_ client: OAuthClientRecord) async throws
    func oauthClient(id: String) async throws -> OAuthClientRecord?
    /// Every stored client, oldest first.
    func oauthClients() async throws -> [OAuthClientRecord]

    func createAuthorizationCode(_ code: OAuthCodeRecord) async throws
    func authorizationCode(hash: String) async throws -> OAuthCodeRecord?
    /// Marks the code used and stores the grant and its first tokens, in one transaction. Returns
    /// `false` (and stores nothing) when the code was already used: the caller treats it as a replay.
    func redeemAuthorizationCode(hash: String, at: Date, grant: OAuthGrant, tokens: [OAuthTokenRecord]) async throws -> Bool

    func oauthToken(hash: String) async throws -> OAuthTokenRecord?
    func grant(id: String) async throws -> OAuthGrant?
    /// Grants newest first; only one user's when `userID` is set.
    func grants(userID: String?) async throws -> [OAuthGrant]
    /// Rotates a refresh token: marks it used with the sealed successor pair and stores `tokens`, in
    /// one transaction. Returns `false` (storing nothing) when it was already used or revoked.
    func rotateRefreshToken(
        hash: String,
        at: Date,
        successor: Data,
        successorKeyID: String,
        tokens: [OAuthTokenRecord]
    ) async throws
        -> Bool
    /// Revokes a grant and so every token of it; revoking twice keeps the first time. Throws `GRANT_NOT_FOUND`.
    @discardableResult
    func revokeGrant(id: String, at: Date) async throws -> OAuthGrant
    /// Revokes one token; unknown hashes are ignored (RFC 7009).
    func revokeOAuthToken(hash: String, at: Date) async throws
    /// Records when a grant was last used.
    func touchGrant(id: String, at: Date) async throws
}
