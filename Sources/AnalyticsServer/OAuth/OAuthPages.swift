import Foundation
import Hummingbird
import Identity
import MetadataStore

/// The pages of the authorization flow: sign-in, consent and errors that must not redirect.
enum OAuthPages {
    /// What each scope lets the client do, in the user's words.
    static let scopeSummaries = [
        OAuthScope.read: "See the datasets you may use: names, descriptions, tables and columns.",
        OAuthScope.query: "Run read-only queries and weighted breakdowns on those datasets, as you.",
    ]

    static func login(email: String, error: String?, csrf: String, returnTo: String, clientName: String?, upstream: String?) -> HTMLPage {
        let intro =
            clientName.map { "Sign in to let <strong>\(HTMLPage.escape($0))</strong> use MCP Analytics on your behalf." }
            ?? "Sign in to MCP Analytics."
        let errorHTML = error.map { #"<p class="error" role="alert" data-testid="form-error">\#(HTMLPage.escape($0))</p>"# } ?? ""
        let upstreamHTML =
            upstream.map { name in
                let href = AuthorizationRequest.redirect("/oauth/oidc/start", with: [("return_to", returnTo)])
                return
                    #"<p class="or">or</p><a class="button secondary" href="\#(HTMLPage.escape(href))" data-testid="login-oidc">Sign in with \#(HTMLPage.escape(name))</a>"#
            } ?? ""
        let body = """
            <h1>Sign in</h1>
            <p class="muted">\(intro)</p>
            \(errorHTML)
            <form method="post" action="/oauth/login">
            \(HTMLPage.hidden([("csrf_token", csrf), ("return_to", returnTo)]))
            <label for="email">Email</label>
            <input id="email" name="email" type="email" autocomplete="username" required value="\(HTMLPage.escape(email))">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <div class="actions"><button type="submit" data-testid="login-submit">Sign in</button></div>
            </form>
            \(upstreamHTML)
            """
        return HTMLPage(title: "Sign in", body: body, status: error == nil ? .ok : .unauthorized)
    }

    static func consent(_ request: AuthorizationRequest, user: User, csrf: String) -> HTMLPage {
        let client = request.client
        let verified: String
        switch client.kind {
        case .metadataDocument, .pinned:
            let host = URLComponents(string: client.id)?.host ?? client.id
            verified = #"<span class="badge ok" data-testid="client-verified">Verified domain: \#(HTMLPage.escape(host))</span>"#
        case .dynamic:
            verified = #"<span class="badge warn" data-testid="client-verified">Self-registered, not verified</span>"#
        }
        let scopes = request.scopes.map { scope -> String in
            let summary = Self.scopeSummaries[scope] ?? scope
            return #"<li data-testid="scope"><code>\#(HTMLPage.escape(scope))</code> — \#(HTMLPage.escape(summary))</li>"#
        }.joined(separator: "\n")
        let fields = request.fields + [("csrf_token", csrf)]
        let body = """
            <h1>Allow access?</h1>
            <p><strong data-testid="client-name">\(HTMLPage.escape(client.name))</strong> wants to use MCP Analytics as
            <strong>\(HTMLPage.escape(user.displayName))</strong> (\(HTMLPage.escape(user.email))).</p>
            <p>\(verified)</p>
            <dl>
            <dt>Sends you back to</dt><dd data-testid="redirect-host">\(HTMLPage.escape(request.redirectHost))</dd>
            <dt>Client id</dt><dd><code>\(HTMLPage.escape(client.id))</code></dd>
            </dl>
            <p>It will be able to:</p>
            <ul class="scopes">
            \(scopes)
            </ul>
            <p class="muted">Your role (\(HTMLPage.escape(user.role.rawValue))) still limits what it can do. You can revoke this access at any time.</p>
            <form method="post" action="/oauth/consent">
            \(HTMLPage.hidden(fields))
            <div class="actions">
            <button type="submit" name="decision" value="deny" class="secondary" data-testid="consent-deny">Deny</button>
            <button type="submit" name="decision" value="approve" data-testid="consent-approve">Allow</button>
            </div>
            </form>
            """
        return HTMLPage(title: "Allow access", body: body, restrictFormTargets: false)
    }

    static func error(_ error: OAuthError, status: HTTPResponse.Status = .badRequest) -> HTMLPage {
        let body = """
            <h1>This sign-in request cannot continue</h1>
            <p class="error" data-testid="oauth-error"><code>\(HTMLPage.escape(error.error))</code>: \(HTMLPage.escape(error.description))</p>
            <p class="muted">Go back to the app you came from and connect again. If it keeps happening, ask the administrator of this server.</p>
            """
        return HTMLPage(title: "Sign-in error", body: body, status: status)
    }
}
