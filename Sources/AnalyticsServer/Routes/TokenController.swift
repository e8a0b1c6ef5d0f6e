import AnalyticsCore
import Foundation
import Hummingbird
import Identity
import MetadataStore

/// Token management over HTTP for admins (the CLI offers the same).
struct TokenController {
    let store: any MetadataStore
    let authenticator: CredentialAuthenticator

    struct CreateTokenRequest: Codable {
        var name: String
        var role: Role?
        /// The user the token acts for (email); without one, a service account is created.
        var user: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case name, role, user }
    }

    func addRoutes(to api: RouteBuilder) {
        api.on(.get, "/tokens") { _, context in
            try context.requirePrincipal().require(.manageTokens)
            return try APIResponse.json(["tokens": try await self.store.tokens()])
        }
        api.on(.post, "/tokens") { request, context in
            try context.requirePrincipal().require(.manageTokens)
            let body = try await request.decodeJSON(
                as: CreateTokenRequest.self,
                allowedKeys: CreateTokenRequest.CodingKeys.allCases.map(\.rawValue),
                context: context
            )
            let issued = try await TokenService(store: self.store).create(name: body.name, role: body.role, userEmail: body.user)
            return try APIResponse.json(issued, status: .created)
        }
        api.on(.delete, "/tokens/{id}") { _, context in
            try context.requirePrincipal().require(.manageTokens)
            let token = try await self.store.revokeToken(id: try context.parameters.require("id"))
            await self.authenticator.invalidate()
            return try APIResponse.json(token)
        }
    }
}
