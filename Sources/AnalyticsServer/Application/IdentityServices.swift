import AnalyticsCore
import Identity
import Logging
import MetadataStore

/// Who is calling and how they got in: credential checks, users, browser sessions and the embedded
/// OAuth authorization server, built once per server.
public struct IdentityServices: Sendable {
    public let authenticator: CredentialAuthenticator
    public let users: UserService
    public let sessions: SessionService
    public let authorizationServer: AuthorizationServer
    /// Sign-in through an upstream OpenID Connect provider, when configured.
    public let upstream: UpstreamOIDC?

    public init(configuration: ServerConfiguration, store: any MetadataStore, vault: SecretVault, logger: Logger) {
        self.authenticator = CredentialAuthenticator(store: store)
        self.users = UserService(store: store, logger: logger)
        self.sessions = SessionService(store: store, ttl: configuration.oauth.sessionTTL)
        let fetcher = ClientMetadataFetcher(allowInsecureLoopback: configuration.oauth.allowInsecureClientURLs, logger: logger)
        let clients = OAuthClientRegistry(store: store, settings: configuration.oauth, fetcher: fetcher, logger: logger)
        self.authorizationServer = AuthorizationServer(
            store: store,
            vault: vault,
            settings: configuration.oauth,
            clients: clients,
            authenticator: self.authenticator,
            logger: logger
        )
        self.upstream = configuration.upstreamOIDC.map { UpstreamOIDC(settings: $0, store: store, vault: vault, logger: logger) }
    }
}
