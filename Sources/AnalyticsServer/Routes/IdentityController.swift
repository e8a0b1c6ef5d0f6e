import AnalyticsCore
import Foundation
import Hummingbird
import Identity
import MetadataStore

/// People and their OAuth grants over REST: users (admins), OAuth clients (admins), and grants —
/// everyone sees and revokes their own, admins everyone's.
struct IdentityController {
    let store: any MetadataStore
    let identity: IdentityServices

    func addRoutes(to api: RouteBuilder) {
        api.on(.get, "/users") { _, context in
            try context.requirePrincipal().require(.manageTokens)
            return try APIResponse.json(["users": try await self.store.users()])
        }
        api.on(.get, "/oauth/clients") { _, context in
            try context.requirePrincipal().require(.manageTokens)
            return try APIResponse.json(["clients": try await self.store.oauthClients()])
        }
        api.on(.get, "/oauth/grants") { _, context in
            let principal = try context.requirePrincipal()
            let grants = try await self.identity.authorizationServer.grants(for: principal)
            return try APIResponse.json(["grants": try await self.described(grants)])
        }
        api.on(.delete, "/oauth/grants/{id}") { _, context in
            let principal = try context.requirePrincipal()
            let grant = try await self.identity.authorizationServer.revokeGrant(id: try context.parameters.require("id"), by: principal)
            return try APIResponse.json(try await self.described([grant])[0])
        }
    }

    /// A grant as the API shows it: with the user's display name and the client's name beside the ids.
    struct GrantView: Encodable {
        var grant: OAuthGrant
        var userName: String?
        var clientName: String?

        enum CodingKeys: String, CodingKey {
            case userName = "user_name"
            case clientName = "client_name"
        }

        func encode(to encoder: any Encoder) throws {
            try self.grant.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.userName, forKey: .userName)
            try container.encode(self.clientName, forKey: .clientName)
        }
    }

    func described(_ grants: [OAuthGrant]) async throws -> [GrantView] {
        let users = Dictionary(try await self.store.users().map { ($0.id, $0.displayName) }, uniquingKeysWith: { first, _ in first })
        let clients = Dictionary(try await self.store.oauthClients().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        return grants.map { GrantView(grant: $0, userName: users[$0.userID], clientName: clients[$0.clientID]) }
    }
}
