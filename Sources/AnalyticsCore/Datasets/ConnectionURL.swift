import Foundation

/// A dataset connection URL, parsed and validated, with a redacted form that is safe to show.
///
/// The full URL (with its password) is a secret: it is only ever stored encrypted and handed to a
/// connector. Everything user-facing uses ``redacted``.
public struct ConnectionURL: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable {
        case postgres
        case sqlite
    }

    public let kind: Kind
    /// The URL exactly as given (a secret).
    public let raw: String
    public let host: String?
    public let port: Int?
    public let user: String?
    public let password: String?
    public let database: String?
    /// For SQLite: the file path.
    public let path: String?
    /// Query parameters such as `sslmode`.
    public let parameters: [String: String]

    /// Parses `postgres://`, `postgresql://` and `sqlite:` URLs; anything else is `INVALID_CONNECTION_URL`.
    public init(_ string: String) throws {
        let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
        self.raw = trimmed
        if trimmed.hasPrefix("sqlite:") {
            var path = String(trimmed.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else {
                throw Self.invalid("A sqlite: URL needs a file path, e.g. sqlite:./data/panel.sqlite.")
            }
            self.kind = .sqlite
            self.path = path
            self.host = nil
            self.port = nil
            self.user = nil
            self.password = nil
            self.database = nil
            self.parameters = [:]
            return
        }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw Self.invalid("Unsupported connection URL; use postgres://, postgresql:// or sqlite:.")
        }
        guard let host = components.host, !host.isEmpty else {
            throw Self.invalid("A postgres:// URL needs a host, e.g. postgres://user:pass@db.example.com:5432/panel.")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw Self.invalid("Port \(port) is out of range.")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.kind = .postgres
        self.host = host
        self.port = components.port ?? 5432
        self.user = components.user?.removingPercentEncoding ?? components.user
        self.password = components.password?.removingPercentEncoding ?? components.password
        self.database = database.isEmpty ? nil : database
        self.path = nil
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] { parameters[item.name] = item.value ?? "" }
        self.parameters = parameters
    }

    /// The URL with any password replaced by `***`; the only form that may be shown or logged.
    public var redacted: String {
        switch self.kind {
        case .sqlite:
            return "sqlite:\(self.path ?? "")"
        case .postgres:
            var text = "postgres://"
            if let user { text += Self.escape(user) + (self.password == nil ? "" : ":***") + "@" }
            text += self.host ?? ""
            if let port { text += ":\(port)" }
            text += "/" + (self.database ?? "")
            let safe = self.parameters.filter { !Self.secretParameters.contains($0.key.lowercased()) }
            if !safe.isEmpty {
                text += "?" + safe.keys.sorted().map { "\($0)=\(safe[$0]!)" }.joined(separator: "&")
            }
            return text
        }
    }

    private static let secretParameters: Set<String> = ["password", "sslpassword", "passfile", "sslkey"]

    private static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? s
    }

    private static func invalid(_ message: String) -> AnalyticsError {
        AnalyticsError(
            .invalidConnectionURL,
            message,
            hint: "Examples: postgres://reader:secret@localhost:5432/panel?sslmode=disable, sqlite:./data/panel.sqlite"
        )
    }
}

extension ConnectionURL: CustomStringConvertible {
    /// Always the redacted form, so string interpolation into logs cannot leak the password.
    public var description: String { self.redacted }
}

extension ConnectionURL: CustomDebugStringConvertible {
    public var debugDescription: String { "ConnectionURL(\(self.redacted))" }
}
