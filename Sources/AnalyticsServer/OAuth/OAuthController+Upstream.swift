import AnalyticsCore
import Foundation
import HTTPTypes
import Hummingbird
import Identity

/// Sign-in through the upstream OpenID Connect provider: start and callback.
extension OAuthController {
    func upstreamStart(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let upstream = self.identity.upstream else {
            return OAuthPages.error(OAuthError("not_configured", "Upstream sign-in is not configured on this server."), status: .notFound).response()
        }
        let returnTo = FormBody.parse(request.uri.query ?? "")?["return_to"] ?? ""
        guard returnTo.hasPrefix("/oauth/authorize?") else {
            return OAuthPages.error(.invalidRequest("The sign-in link does not say where to continue.")).response()
        }
        do {
            let callback = self.endpoints(request).issuer + "/oauth/oidc/callback"
            let (location, cookie) = try await upstream.start(returnTo: returnTo, redirectURI: callback)
            let setCookie = FormBody.cookie(name: UpstreamOIDC.cookieName, value: cookie, maxAge: 600, secure: self.secureCookies)
            return Response(status: .seeOther, headers: [.location: location, .setCookie: setCookie, .cacheControl: "no-store"])
        } catch let error as AnalyticsError {
            return OAuthPages.error(OAuthError("upstream_unavailable", error.message), status: .badGateway).response()
        }
    }

    func upstreamCallback(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let upstream = self.identity.upstream else {
            return OAuthPages.error(OAuthError("not_configured", "Upstream sign-in is not configured on this server."), status: .notFound).response()
        }
        guard let query = FormBody.parse(request.uri.query ?? "") else {
            return OAuthPages.error(.invalidRequest("A parameter is repeated or malformed.")).response()
        }
        do {
            let (user, returnTo) = try await upstream.finish(query: query, cookie: request.cookies[UpstreamOIDC.cookieName]?.value)
            return try await self.signedIn(user, returnTo: returnTo, clearing: UpstreamOIDC.cookieName, context: context)
        } catch let error as AnalyticsError {
            context.logger.notice("upstream sign-in refused", metadata: ["mcpa.auth.reason": "\(error.message)"])
            let cleared = FormBody.cookie(name: UpstreamOIDC.cookieName, value: "", maxAge: 0, secure: self.secureCookies)
            return OAuthPages.error(OAuthError("access_denied", error.message), status: .unauthorized).response(headers: [.setCookie: cleared])
        }
    }

    func consent(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let form = await FormBody.read(request, context: context) else {
            return OAuthPages.error(.invalidRequest("Send the consent form.")).response()
        }
        let endpoints = self.endpoints(request)
        let authorization: AuthorizationRequest
        do {
            authorization = try await self.server.validate(form, endpoints: endpoints)
        } catch {
            return Self.failure(error)
        }
        guard let active = try await self.identity.sessions.resolve(cookie: request.cookies[SessionService.cookieName]?.value) else {
            return self.loginPage(
                returnTo: Self.authorizeURL(authorization),
                clientName: authorization.client.name,
                email: "",
                error: "Your session has ended. Sign in again."
            )
        }
        guard SessionService.csrfMatches(form["csrf_token"], active.session.csrfToken) else {
            context.logger.notice("consent refused: CSRF token missing or wrong", metadata: ["mcpa.user": "\(active.user.id)"])
            return OAuthPages.error(OAuthError("invalid_request", "The consent form is missing its CSRF token."), status: .forbidden).response()
        }
        let location: String
        switch form["decision"] {
        case "approve":
            location = try await self.server.approve(authorization, user: active.user, endpoints: endpoints)
        case "deny":
            location = self.server.deny(authorization, endpoints: endpoints)
        default:
            return OAuthPages.error(.invalidRequest("Choose Allow or Deny.")).response()
        }
        return Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.identity.sessions.end(cookie: request.cookies[SessionService.cookieName]?.value)
        let cookie = FormBody.cookie(name: SessionService.cookieName, value: "", maxAge: 0, secure: self.secureCookies)
        return OAuthPages.error(OAuthError("signed_out", "You are signed out."), status: .ok).response(headers: [.setCookie: cookie])
    }
}
