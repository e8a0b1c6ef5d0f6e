import AnalyticsCore
import Foundation

/// Row decoders of the identity tables, shared by both backends.
extension StoreRecords {
    static let userColumns = "id, email, display_name, role, active, password_hash, created_at, last_login_at"
    static let sessionColumns = "session_hash, user_id, csrf_token, created_at, expires_at"
    static let clientColumns = """
        client_id, kind, name, redirect_uris, token_endpoint_auth_method, secret_hash, client_uri, created_at, fetched_at
        """
    static let codeColumns = """
        code_hash, client_id, user_id, redirect_uri, code_challenge, scopes, resource, created_at, expires_at, used_at, grant_id
        """
    static let grantColumns = "id, user_id, client_id, scopes, resource, created_at, last_used_at, revoked_at"
    static let oauthTokenColumns = """
        token_hash, kind, grant_id, created_at, expires_at, used_at, successor, successor_key_id, revoked_at
        """

    static func user(_ row: some StoreRow) throws -> User {
        try self.decoding("user") {
            guard let role = Role(rawValue: try row.string("role")) else { throw StoreFailure.corrupt("user") }
            return User(
                id: try row.string("id"),
                email: try row.string("email"),
                displayName: try row.string("display_name"),
                role: role,
                isActive: try row.bool("active"),
                passwordHash: try row.optionalString("password_hash"),
                createdAt: try row.date("created_at"),
                lastLoginAt: try row.optionalDate("last_login_at")
            )
        }
    }

    static func session(_ row: some StoreRow) throws -> UserSession {
        try self.decoding("session") {
            UserSession(
                hash: try row.string("session_hash"),
                userID: try row.string("user_id"),
                csrfToken: try row.string("csrf_token"),
                createdAt: try row.date("created_at"),
                expiresAt: try row.date("expires_at")
            )
        }
    }

    static func client(_ row: some StoreRow) throws -> OAuthClientRecord {
        try self.decoding("OAuth client") {
            guard let kind = OAuthClientRecord.Kind(rawValue: try row.string("kind")) else { throw StoreFailure.corrupt("OAuth client") }
            return OAuthClientRecord(
                id: try row.string("client_id"),
                kind: kind,
                name: try row.string("name"),
                redirectURIs: try StoreJSON.decode([String].self, from: try row.string("redirect_uris"), what: "redirect URIs"),
                tokenEndpointAuthMethod: try row.string("token_endpoint_auth_method"),
                secretHash: try row.optionalString("secret_hash"),
                clientURI: try row.optionalString("client_uri"),
                createdAt: try row.date("created_at"),
                fetchedAt: try row.optionalDate("fetched_at")
            )
        }
    }

    static func code(_ row: some StoreRow) throws -> OAuthCodeRecord {
        try self.decoding("authorization code") {
            OAuthCodeRecord(
                hash: try row.string("code_hash"),
                clientID: try row.string("client_id"),
                userID: try row.string("user_id"),
                redirectURI: try row.string("redirect_uri"),
                codeChallenge: try row.string("code_challenge"),
                scopes: try StoreJSON.decode([String].self, from: try row.string("scopes"), what: "scopes"),
                resource: try row.string("resource"),
                createdAt: try row.date("created_at"),
                expiresAt: try row.date("expires_at"),
                usedAt: try row.optionalDate("used_at"),
                grantID: try row.optionalString("grant_id")
            )
        }
    }

    static func grant(_ row: some StoreRow) throws -> OAuthGrant {
        try self.decoding("OAuth grant") {
            OAuthGrant(
                id: try row.string("id"),
                userID: try row.string("user_id"),
                clientID: try row.string("client_id"),
                scopes: try StoreJSON.decode([String].self, from: try row.string("scopes"), what: "scopes"),
                resource: try row.string("resource"),
                createdAt: try row.date("created_at"),
                lastUsedAt: try row.optionalDate("last_used_at"),
                revokedAt: try row.optionalDate("revoked_at")
            )
        }
    }

    static func oauthToken(_ row: some StoreRow) throws -> OAuthTokenRecord {
        try self.decoding("OAuth token") {
            guard let kind = OAuthTokenRecord.Kind(rawValue: try row.string("kind")) else { throw StoreFailure.corrupt("OAuth token") }
            return OAuthTokenRecord(
                hash: try row.string("token_hash"),
                kind: kind,
                grantID: try row.string("grant_id"),
                createdAt: try row.date("created_at"),
                expiresAt: try row.date("expires_at"),
                usedAt: try row.optionalDate("used_at"),
                successor: try row.optionalData("successor"),
                successorKeyID: try row.optionalString("successor_key_id"),
                revokedAt: try row.optionalDate("revoked_at")
            )
        }
    }
}
