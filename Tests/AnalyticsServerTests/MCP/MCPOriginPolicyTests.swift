import Testing

@testable import AnalyticsServer

@Suite("MCP Host/Origin policy")
struct MCPOriginPolicyTests {
    @Test("on a loopback host only loopback names and origins pass by default")
    func loopbackDefaults() {
        let policy = MCPOriginPolicy(bindHost: "127.0.0.1", allowedHosts: [], allowedOrigins: [])
        #expect(policy.check(host: "127.0.0.1:8080", origin: nil) == nil)
        #expect(policy.check(host: "localhost", origin: nil) == nil)
        #expect(policy.check(host: "[::1]:9000", origin: "http://[::1]:9000") == nil)
        #expect(policy.check(host: "evil.example:8080", origin: nil) == .host("evil.example:8080"))
        #expect(policy.check(host: "localhost:8080", origin: "http://localhost:3000") == nil)
        #expect(policy.check(host: "localhost:8080", origin: "https://evil.example") == .origin("https://evil.example"))
        #expect(policy.check(host: "localhost:8080", origin: "http://localhost.evil.example") == .origin("http://localhost.evil.example"))
        #expect(policy.check(host: "localhost:8080", origin: "null") == .origin("null"))
        #expect(policy.check(host: "127.attacker.example:8080", origin: nil) == .host("127.attacker.example:8080"))
        #expect(policy.check(host: "localhost:8080", origin: "http://127.attacker.example") == .origin("http://127.attacker.example"))
    }

    @Test("only real loopback names and addresses count as loopback")
    func loopbackNames() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"] {
            #expect(ServerConfiguration.isLoopback(host), "\(host)")
        }
        for host in ["127.attacker.example", "127.0.0.1.nip.io", "127.0.0", "127.0.0.256", "0.0.0.0", "10.0.0.1", "localhost.evil"] {
            #expect(!ServerConfiguration.isLoopback(host), "\(host)")
        }
    }

    @Test("the public URL's host and origin are always allowed")
    func publicURL() {
        let policy = MCPOriginPolicy(bindHost: "127.0.0.1", allowedHosts: [], allowedOrigins: [], publicURL: "https://Analytics.example.com")
        #expect(policy.check(host: "analytics.example.com", origin: "https://analytics.example.com") == nil)
        #expect(policy.check(host: "evil.example", origin: nil) == .host("evil.example"))
    }

    @Test("on a routable host any Host passes, and an Origin must be same-origin or listed")
    func routable() {
        let policy = MCPOriginPolicy(bindHost: "0.0.0.0", allowedHosts: [], allowedOrigins: ["https://chat.example", "http://tools.internal:*"])
        #expect(policy.check(host: "analytics.example.com", origin: nil) == nil)
        #expect(policy.check(host: "analytics.example.com", origin: "https://analytics.example.com") == nil)
        #expect(policy.check(host: "analytics.example.com", origin: "https://chat.example/") == nil)
        #expect(policy.check(host: "analytics.example.com", origin: "http://tools.internal:8443") == nil)
        #expect(policy.check(host: "analytics.example.com", origin: "http://tools.internal:x") == .origin("http://tools.internal:x"))
        #expect(policy.check(host: "analytics.example.com", origin: "http://localhost:3000") == .origin("http://localhost:3000"))
    }

    @Test("configured hosts replace the defaults; * allows everything")
    func configured() {
        let narrow = MCPOriginPolicy(bindHost: "0.0.0.0", allowedHosts: ["Analytics.Example.com", "10.0.0.5:*"], allowedOrigins: [])
        #expect(narrow.check(host: "analytics.example.com", origin: nil) == nil)
        #expect(narrow.check(host: "10.0.0.5:8080", origin: nil) == nil)
        #expect(narrow.check(host: "10.0.0.5", origin: nil) == nil, "name:* includes the default port")
        #expect(narrow.check(host: "10.0.0.50:8080", origin: nil) == .host("10.0.0.50:8080"))
        #expect(narrow.check(host: "analytics.example.com:8443", origin: nil) == .host("analytics.example.com:8443"))
        #expect(narrow.check(host: "other.example.com", origin: nil) == .host("other.example.com"))
        let open = MCPOriginPolicy(bindHost: "127.0.0.1", allowedHosts: ["*"], allowedOrigins: ["*"])
        #expect(open.check(host: "anything", origin: "https://anywhere.example") == nil)
    }
}
