import AnalyticsCore
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import Logging
import MetadataStore

/// The authorization server's HTTP endpoints: dynamic registration, the authorization endpoint with
/// its sign-in and consent pages, the token endpoint and revocation.
struct OAuthController {
    let identity: IdentityServices
    let configuration: ServerConfiguration

    static let loginCSRFCookie = "mcpa_login_csrf"

    var server: AuthorizationServer { self.identity.authorizationServer }

    func addRoutes(to builder: RouteBuilder) {
        builder.on(.post, "/oauth/register") { request, context in try await self.register(request, context: context) }
        builder.on(.get, "/oauth/authorize") { request, context in try await self.authorize(request, context: context) }
        builder.on(.post, "/oauth/login") { request, context in try await self.login(request, context: context) }
        builder.on(.post, "/oauth/consent") { request, context in try await self.consent(request, context: context) }
        builder.on(.post, "/oauth/logout") { request, context in try await self.logout(request, context: context) }
        builder.on(.post, "/oauth/token") { request, context in try await self.token(request, context: context) }
        builder.on(.post, "/oauth/revoke") { request, context in try await self.revoke(request, context: context) }
        builder.on(.get, "/oauth/oidc/start") { request, context in try await self.upstreamStart(request, context: context) }
        builder.on(.get, "/oauth/oidc/callback") { request, context in try await self.upstreamCallback(request, context: context) }
        builder.on(.get, "/oauth/style.css") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: HTMLPage.stylesheet))
            )
        }
    }

    func endpoints(_ request: Request) -> OAuthEndpoints {
        self.configuration.oauthEndpoints(requestHost: request.head.authority)
    }

    var secureCookies: Bool { self.configuration.oauth.publicURL?.lowercased().hasPrefix("https://") ?? false }

    // MARK: Registration

    func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true,
            let buffer = try? await request.body.collect(upTo: 64 * 1024),
            let metadata = try? JSONValue.parse(Data(buffer: buffer))
        else {
            return Self.oauthError(OAuthError("invalid_client_metadata", "Send the client metadata as a JSON object (application/json)."))
        }
        do {
            let (_, response) = try await self.server.clients.register(metadata)
            return Self.json(response, status: .created)
        } catch {
            return Self.oauthError(error)
        }
    }

    // MARK: Authorization

    func authorize(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let query = FormBody.parse(request.uri.query ?? "") else {
            return OAuthPages.error(.invalidRequest("A parameter is repeated or malformed.")).response()
        }
        let endpoints = self.endpoints(request)
        let authorization: AuthorizationRequest
        do {
            authorization = try await self.server.validate(query, endpoints: endpoints)
        } catch {
            return Self.failure(error)
        }
        guard let active = try await self.identity.sessions.resolve(cookie: request.cookies[SessionService.cookieName]?.value) else {
            return self.loginPage(returnTo: Self.authorizeURL(authorization), clientName: authorization.client.name, email: "", error: nil)
        }
        return OAuthPages.consent(authorization, user: active.user, csrf: active.session.csrfToken).response()
    }

    func loginPage(returnTo: String, clientName: String?, email: String, error: String?) -> Response {
        let csrf = SessionService.newCSRFToken()
        let cookie = FormBody.cookie(name: Self.loginCSRFCookie, value: csrf, maxAge: 3_600, secure: self.secureCookies)
        let upstream = self.identity.upstream?.settings.displayName
        return OAuthPages.login(email: email, error: error, csrf: csrf, returnTo: returnTo, clientName: clientName, upstream: upstream)
            .response(headers: [.setCookie: cookie])
    }

    func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let form = await FormBody.read(request, context: context) else {
            return OAuthPages.error(.invalidRequest("Send the sign-in form."), status: .badRequest).response()
        }
        let returnTo = form["return_to"] ?? ""
        guard returnTo.hasPrefix("/oauth/authorize?") else {
            return OAuthPages.error(.invalidRequest("The sign-in form does not say where to continue.")).response()
        }
        guard let posted = form["csrf_token"], let expected = request.cookies[Self.loginCSRFCookie]?.value,
            SessionService.csrfMatches(posted, expected)
        else {
            return OAuthPages.error(OAuthError("invalid_request", "The sign-in form expired or came from another site."), status: .forbidden)
                .response()
        }
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        guard let user = try await self.identity.users.signIn(email: email, password: form["password"] ?? "") else {
            let clientID = URLComponents(string: returnTo)?.queryItems?.first { $0.name == "client_id" }?.value
            var clientName: String?
            if let clientID { clientName = try? await self.server.clients.client(id: clientID).name }
            return self.loginPage(
                returnTo: returnTo,
                clientName: clientName,
                email: email,
                error: "Wrong email or password, or the account is disabled."
            )
        }
        return try await self.signedIn(user, returnTo: returnTo, clearing: Self.loginCSRFCookie, context: context)
    }

    /// Starts a session for `user` and sends the browser back to the authorization request.
    func signedIn(_ user: User, returnTo: String, clearing cookieName: String, context: AppRequestContext) async throws -> Response {
        let (cookie, _) = try await self.identity.sessions.start(for: user)
        context.logger.info("signed in", metadata: ["mcpa.user": "\(user.id)"])
        let maxAge = Int(self.configuration.oauth.sessionTTL)
        var headers: HTTPFields = [.location: returnTo, .cacheControl: "no-store"]
        headers.append(
            HTTPField(
                name: .setCookie,
                value: FormBody.cookie(name: SessionService.cookieName, value: cookie, maxAge: maxAge, secure: self.secureCookies)
            )
        )
        headers.append(HTTPField(name: .setCookie, value: FormBody.cookie(name: cookieName, value: "", maxAge: 0, secure: self.secureCookies)))
        return Response(status: .seeOther, headers: headers)
    }

    /// `client_id` (and secret) from HTTP Basic (RFC 6749 §2.3.1) or the form.
    static func credentials(_ request: Request, form: [String: String]) -> AuthorizationServer.ClientCredentials {
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        {
            let id = String(text[..<colon]).removingPercentEncoding
            let secret = String(text[text.index(after: colon)...]).removingPercentEncoding
            return .init(clientID: id, secret: secret)
        }
        return .init(clientID: form["client_id"], secret: form["client_secret"])
    }

    static func authorizeURL(_ request: AuthorizationRequest) -> String {
        AuthorizationRequest.redirect("/oauth/authorize", with: request.fields)
    }

    static func failure(_ failure: AuthorizationFailure) -> Response {
        switch failure {
        case .page(let error):
            return OAuthPages.error(error).response()
        case .redirect(let location):
            return Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
        }
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(bytes: value.serializedData()))
        )
    }

    static func oauthError(_ error: OAuthError) -> Response {
        var response = self.json(error.body, status: HTTPResponse.Status(code: error.status))
        if error.status == 401 { response.headers[.wwwAuthenticate] = #"Basic realm="oauth""# }
        return response
    }
}
