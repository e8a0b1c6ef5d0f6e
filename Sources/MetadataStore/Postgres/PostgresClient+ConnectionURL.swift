import AnalyticsCore
import NIOSSL
import PostgresNIO

extension PostgresClient.Configuration {
    /// Builds a client configuration from a `postgres://` URL.
    ///
    /// `sslmode` follows libpq's names: `disable` turns TLS off, `require`/`verify-ca`/`verify-full`
    /// demand it, anything else (default `prefer`) uses TLS when the server offers it.
    public init(url: ConnectionURL, applicationName: String = "mcp-analytics") throws {
        guard url.kind == .postgres, let host = url.host, let user = url.user else {
            throw AnalyticsError(
                .invalidConnectionURL,
                "A PostgreSQL connection URL needs a host and a user.",
                hint: "Example: postgres://reader:secret@localhost:5432/panel"
            )
        }
        let tls: TLS
        switch url.parameters["sslmode"]?.lowercased() ?? "prefer" {
        case "disable":
            tls = .disable
        case "require":
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            tls = .require(config)
        case "verify-ca", "verify-full":
            tls = .require(.makeClientConfiguration())
        default:
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            tls = .prefer(config)
        }
        self.init(
            host: host,
            port: url.port ?? 5432,
            username: user,
            password: url.password,
            database: url.database ?? user,
            tls: tls
        )
        self.options.additionalStartupParameters = [("application_name", applicationName)]
    }
}

extension PostgresConnection.Configuration {
    /// A single-connection configuration from a `postgres://` URL, for one-off administrative work.
    public init(url: ConnectionURL) throws {
        let client = try PostgresClient.Configuration(url: url)
        guard let host = client.host else {
            throw AnalyticsError(.invalidConnectionURL, "A PostgreSQL connection URL needs a host.")
        }
        let tls: TLS
        switch url.parameters["sslmode"]?.lowercased() ?? "prefer" {
        case "disable": tls = .disable
        case "require", "verify-ca", "verify-full":
            var config = TLSConfiguration.makeClientConfiguration()
            if url.parameters["sslmode"]?.lowercased() == "require" { config.certificateVerification = .none }
            tls = .require(try NIOSSLContext(configuration: config))
        default:
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            tls = .prefer(try NIOSSLContext(configuration: config))
        }
        self.init(host: host, port: client.port ?? 5432, username: client.username, password: client.password, database: client.database, tls: tls)
    }
}
