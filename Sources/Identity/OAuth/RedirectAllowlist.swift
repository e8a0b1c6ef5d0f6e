import Foundation

/// Which redirect URIs dynamic registration accepts. A pattern is an exact URI, a URI ending in `*`
/// (any suffix: `https://chatgpt.com/connector/oauth/*`), or `http://HOST:*` (that loopback host on
/// any port and path, as RFC 8252 asks for native clients).
public struct RedirectAllowlist: Sendable, Equatable {
    public var patterns: [String]

    public init(_ patterns: [String]) {
        self.patterns = patterns
    }

    public func allows(_ uri: String) -> Bool {
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased(),
            components.host != nil, components.fragment == nil, components.user == nil, components.password == nil
        else { return false }
        guard scheme == "https" || scheme == "http" else { return false }
        return self.patterns.contains { Self.matches(uri, components: components, pattern: $0) }
    }

    static func matches(_ uri: String, components: URLComponents, pattern: String) -> Bool {
        if pattern.hasSuffix(":*") {
            guard let base = URLComponents(string: String(pattern.dropLast(2))), let host = base.host?.lowercased() else { return false }
            return components.scheme?.lowercased() == base.scheme?.lowercased() && components.host?.lowercased() == host
        }
        if pattern.hasSuffix("*") {
            let prefix = String(pattern.dropLast())
            return uri.hasPrefix(prefix) && uri.count > prefix.count && !uri.dropFirst(prefix.count).contains("..")
        }
        return uri == pattern
    }

    /// Whether `uri` is an `http` loopback redirect (where RFC 8252 lets the port vary).
    static func isLoopback(_ components: URLComponents) -> Bool {
        guard components.scheme?.lowercased() == "http", let host = components.host?.lowercased() else { return false }
        return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host == "::1"
    }

    /// Whether `requested` is one of `registered`: exact, except that an `http` loopback redirect may
    /// use any port (RFC 8252 §7.3).
    public static func redirect(_ requested: String, isAmong registered: [String]) -> Bool {
        if registered.contains(requested) { return true }
        guard var asked = URLComponents(string: requested), Self.isLoopback(asked) else { return false }
        asked.port = nil
        return registered.contains { candidate in
            guard var known = URLComponents(string: candidate), Self.isLoopback(known) else { return false }
            known.port = nil
            return known == asked
        }
    }
}
