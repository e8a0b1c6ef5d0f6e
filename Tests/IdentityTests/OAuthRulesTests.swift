import Foundation
import Testing

@testable import Identity

@Suite("OAuth rules: redirect allow-list, addresses a metadata fetch may reach, audiences, PKCE")
struct OAuthRulesTests {
    @Test("the default allow-list admits the Claude and ChatGPT callbacks and loopback, nothing else")
    func redirectAllowlist() {
        let list = RedirectAllowlist(OAuthSettings.defaultRedirectAllowlist)
        for allowed in [
            "https://claude.ai/api/mcp/auth_callback", "https://claude.com/api/mcp/auth_callback",
            "https://chatgpt.com/connector_platform_oauth_redirect", "https://chatgpt.com/connector/oauth/abc123",
            "http://127.0.0.1:43123/callback", "http://localhost:8000/cb",
        ] {
            #expect(list.allows(allowed), "\(allowed)")
        }
        for refused in [
            "https://claude.ai/api/mcp/auth_callback/../evil", "https://claude.ai.evil.example/api/mcp/auth_callback",
            "https://chatgpt.com/connector/oauth/", "https://chatgpt.com/connector/oauth/../../steal",
            "http://127.0.0.2:80/cb", "https://evil.example/cb", "javascript:alert(1)", "http://127.0.0.1:80/cb#frag",
            "https://user@claude.ai/api/mcp/auth_callback", "not a url",
        ] {
            #expect(!list.allows(refused), "\(refused)")
        }
    }

    @Test("a registered loopback redirect may come back on another port; anything else must match exactly")
    func registeredRedirects() {
        let registered = ["http://127.0.0.1:5000/callback", "https://app.example/cb"]
        #expect(RedirectAllowlist.redirect("http://127.0.0.1:61234/callback", isAmong: registered))
        #expect(!RedirectAllowlist.redirect("http://127.0.0.1:61234/other", isAmong: registered))
        #expect(RedirectAllowlist.redirect("https://app.example/cb", isAmong: registered))
        #expect(!RedirectAllowlist.redirect("https://app.example/cb?x=1", isAmong: registered))
        #expect(!RedirectAllowlist.redirect("https://app.example:444/cb", isAmong: registered))
    }

    @Test("metadata documents are fetched from public unicast addresses only")
    func publicAddresses() {
        for address in ["8.8.8.8", "104.18.1.1", "2606:4700::1111", "2a00:1450:4001::200e"] {
            #expect(NetworkAddressRules.isPublic(address), "\(address)")
        }
        for address in [
            "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
            "224.0.0.1", "255.255.255.255", "192.0.2.5", "198.18.0.1", "::1", "::", "fe80::1", "fd00::1", "ff02::1",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2001:db8::1",
        ] {
            #expect(!NetworkAddressRules.isPublic(address), "\(address)")
        }
        #expect(NetworkAddressRules.isLoopback("127.0.0.1"))
        #expect(!NetworkAddressRules.isLoopback("10.0.0.1"))
        #expect(NetworkAddressRules.lookup("127.0.0.1") == ["127.0.0.1"])
    }

    @Test("the audience is the canonical resource: host case and a trailing slash are tolerated, nothing else")
    func resourceMatching() {
        let endpoints = OAuthEndpoints(issuer: "https://Analytics.example.com/")
        #expect(endpoints.issuer == "https://Analytics.example.com")
        #expect(endpoints.resource == "https://Analytics.example.com/mcp")
        #expect(endpoints.resourceMetadata == "https://Analytics.example.com/.well-known/oauth-protected-resource/mcp")
        #expect(endpoints.isResource("https://analytics.example.com/mcp"))
        #expect(endpoints.isResource("https://analytics.example.com/mcp/"))
        for other in [
            "https://analytics.example.com", "https://analytics.example.com/mcp2", "http://analytics.example.com/mcp",
            "https://analytics.example.com:8443/mcp", "https://other.example.com/mcp", "https://analytics.example.com/mcp?x=1",
        ] {
            #expect(!endpoints.isResource(other), "\(other)")
        }
    }

    @Test("PKCE S256: the RFC 7636 example verifies, a wrong or malformed verifier does not")
    func pkce() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        #expect(OAuthSecrets.isValidVerifier(verifier))
        #expect(OAuthSecrets.isValidChallenge(challenge))
        #expect(OAuthSecrets.verifies(verifier: verifier, challenge: challenge))
        #expect(!OAuthSecrets.verifies(verifier: verifier + "x", challenge: challenge))
        #expect(!OAuthSecrets.isValidVerifier("short"))
        #expect(!OAuthSecrets.isValidVerifier(String(repeating: "a", count: 42) + "!"))
        #expect(!OAuthSecrets.isValidChallenge(verifier + "x"))
    }

    @Test("scopes: query tools need analytics:query, other requests analytics:read, notifications none")
    func scopes() {
        #expect(OAuthScope.required(method: "tools/call", tool: "execute_sql") == OAuthScope.query)
        #expect(OAuthScope.required(method: "tools/call", tool: "weighted_breakdown") == OAuthScope.query)
        #expect(OAuthScope.required(method: "tools/call", tool: "list_datasets") == OAuthScope.read)
        #expect(OAuthScope.required(method: "tools/list", tool: nil) == OAuthScope.read)
        #expect(OAuthScope.required(method: "notifications/initialized", tool: nil) == nil)
        #expect(OAuthScope.required(method: nil, tool: nil) == nil)
    }
}
