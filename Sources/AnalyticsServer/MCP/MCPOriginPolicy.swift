import Foundation

/// DNS-rebinding protection for every route (MCP specification, Streamable HTTP security): which `Host`
/// headers and browser `Origin`s are accepted.
///
/// Bound to a loopback address, the server accepts only loopback host names and loopback origins by
/// default — a web page cannot reach it through a rebound DNS name. Bound to a routable address
/// (behind a real hostname or a proxy), every host is accepted unless `--mcp-allowed-hosts` narrows
/// it, and an `Origin` must be same-origin or listed in `--mcp-allowed-origins`.
struct MCPOriginPolicy: Sendable, Equatable {
    var allowedHosts: [String]
    var allowedOrigins: [String]
    var loopbackDefaults: Bool

    /// - Parameter publicURL: the server's public origin; its host is always allowed, and it is an
    ///   allowed `Origin` (the sign-in pages post to themselves through it).
    init(bindHost: String, allowedHosts: [String], allowedOrigins: [String], publicURL: String? = nil) {
        let loopback = ServerConfiguration.isLoopback(bindHost)
        self.loopbackDefaults = loopback
        if !allowedHosts.isEmpty {
            self.allowedHosts = allowedHosts.map { $0.lowercased() }
        } else {
            self.allowedHosts = loopback ? ["localhost:*", "127.0.0.1:*", "[::1]:*"] : ["*"]
        }
        self.allowedOrigins = allowedOrigins.map { Self.trimmedOrigin($0.lowercased()) }
        if let publicURL, let origin = Self.authority(ofOrigin: Self.trimmedOrigin(publicURL.lowercased())) {
            self.allowedHosts.append(origin)
            self.allowedOrigins.append(Self.trimmedOrigin(publicURL.lowercased()))
        }
    }

    enum Refusal: Equatable {
        case host(String)
        case origin(String)
    }

    /// `nil` when the request may proceed.
    func check(host: String?, origin: String?) -> Refusal? {
        if let host, !self.allowedHosts.contains(where: { Self.matches(host.lowercased(), pattern: $0) }) {
            return .host(host)
        }
        guard let origin else { return nil }
        let normalized = Self.trimmedOrigin(origin.lowercased())
        if self.allowedOrigins.contains(where: { Self.matches(normalized, pattern: $0) }) { return nil }
        if normalized == "null" { return .origin(origin) }
        if let host, Self.authority(ofOrigin: normalized) == host.lowercased() { return nil }
        if self.loopbackDefaults, let authority = Self.authority(ofOrigin: normalized), Self.isLoopbackAuthority(authority) {
            return nil
        }
        return .origin(origin)
    }

    /// `*` matches anything; `name:*` matches `name` on any port, or with none (the default port);
    /// otherwise exact.
    static func matches(_ value: String, pattern: String) -> Bool {
        if pattern == "*" { return true }
        if pattern.hasSuffix(":*") {
            if value == pattern.dropLast(2) { return true }
            let prefix = pattern.dropLast(1)
            guard value.hasPrefix(prefix) else { return false }
            let port = value.dropFirst(prefix.count)
            return !port.isEmpty && port.allSatisfy(\.isNumber)
        }
        return value == pattern
    }

    /// `https://example.com:8443` → `example.com:8443`.
    static func authority(ofOrigin origin: String) -> String? {
        guard let range = origin.range(of: "://") else { return nil }
        let authority = origin[range.upperBound...]
        return authority.isEmpty || authority.contains("/") ? nil : String(authority)
    }

    static func isLoopbackAuthority(_ authority: String) -> Bool {
        let host: String
        if authority.hasPrefix("[") {
            host = String(authority.prefix { $0 != "]" }) + "]"
        } else {
            host = String(authority.prefix { $0 != ":" })
        }
        return ServerConfiguration.isLoopback(host)
    }

    static func trimmedOrigin(_ origin: String) -> String {
        origin.hasSuffix("/") ? String(origin.dropLast()) : origin
    }
}
