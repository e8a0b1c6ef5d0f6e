import AnalyticsCore
import Foundation
import HTTPTypes
import Hummingbird
import Identity

/// The token and revocation endpoints (form bodies in, RFC 6749 JSON out).
extension OAuthController {
    func token(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let form = await FormBody.read(request, context: context) else {
            return Self.oauthError(.invalidRequest("Send an application/x-www-form-urlencoded body without repeated parameters."))
        }
        do {
            let client = try await self.server.authenticateClient(Self.credentials(request, form: form))
            let pair: AuthorizationServer.TokenPair
            switch form["grant_type"] {
            case "authorization_code":
                pair = try await self.server.exchangeCode(form, client: client, endpoints: self.endpoints(request))
            case "refresh_token":
                pair = try await self.server.refresh(form, client: client, endpoints: self.endpoints(request))
            case nil:
                throw OAuthError.invalidRequest("The request has no grant_type.")
            default:
                throw OAuthError("unsupported_grant_type", "Only authorization_code and refresh_token are supported.")
            }
            return Self.json(pair.body(), status: .ok)
        } catch let error as OAuthError {
            if error.error == "invalid_grant" || error.error == "invalid_client" {
                context.logger.notice("token request refused", metadata: ["mcpa.oauth.error": "\(error.error)"])
            }
            return Self.oauthError(error)
        }
    }

    func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let form = await FormBody.read(request, context: context), let token = form["token"] else {
            return Self.oauthError(.invalidRequest("Send token as an application/x-www-form-urlencoded body."))
        }
        do {
            let client = try await self.server.authenticateClient(Self.credentials(request, form: form))
            try await self.server.revoke(token: token, client: client)
        } catch let error as OAuthError {
            return Self.oauthError(error)
        }
        return Response(status: .ok, headers: [.cacheControl: "no-store"])
    }
}
