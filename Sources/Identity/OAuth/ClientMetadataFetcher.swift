import AnalyticsCore
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// Fetches Client ID Metadata Documents from `client_id` URLs, guarded against server-side request
/// forgery: HTTPS only, a host that resolves to public addresses only, no redirects, 5 s, 64 KiB,
/// `application/json` only.
///
/// Its HTTP client (redirects off) is one per process, like `HTTPClient.shared`, so it needs no
/// shutdown however many servers a process builds.
public struct ClientMetadataFetcher: Sendable {
    let allowInsecureLoopback: Bool
    let logger: Logger

    static let maxBytes = 64 * 1024
    static let timeout: TimeAmount = .seconds(5)

    /// - Parameter allowInsecureLoopback: accept `http://` URLs on loopback addresses instead of
    ///   public HTTPS ones (tests and local development).
    public init(allowInsecureLoopback: Bool, logger: Logger) {
        self.allowInsecureLoopback = allowInsecureLoopback
        self.logger = logger
    }

    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: Self.timeout, read: Self.timeout)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// The validated document at `url`.
    public func fetch(_ url: String) async throws(OAuthError) -> JSONValue {
        guard let components = URLComponents(string: url), let host = components.host else {
            throw Self.refused("The client_id is not a URL.")
        }
        try await self.checkAddress(scheme: components.scheme?.lowercased(), host: host, port: components.port)
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let body: ByteBuffer
        let contentType: String?
        do {
            let response = try await Self.client.execute(request, timeout: Self.timeout, logger: self.logger)
            guard response.status == .ok else {
                throw Self.refused("Fetching the client metadata document answered HTTP \(response.status.code).")
            }
            contentType = response.headers.first(name: "Content-Type")
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > Self.maxBytes {
                throw Self.refused("The client metadata document is larger than 64 KiB.")
            }
            body = try await response.body.collect(upTo: Self.maxBytes)
        } catch let error as OAuthError {
            throw error
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw Self.refused("The client metadata document is larger than 64 KiB.")
        } catch {
            self.logger.notice("client metadata fetch failed", metadata: ["mcpa.oauth.client": "\(url)", "mcpa.error.type": "\(type(of: error))"])
            throw Self.refused("The client metadata document could not be fetched.")
        }
        let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/json" else {
            throw Self.refused("The client metadata document is not served as application/json.")
        }
        guard let document = try? JSONValue.parse(Data(buffer: body)), document.objectValue != nil else {
            throw Self.refused("The client metadata document is not a JSON object.")
        }
        return document
    }

    func checkAddress(scheme: String?, host: String, port: Int?) async throws(OAuthError) {
        let addresses = await Self.resolve(host)
        guard !addresses.isEmpty else { throw Self.refused("The client_id host '\(host)' does not resolve.") }
        if self.allowInsecureLoopback, scheme == "http" {
            guard addresses.allSatisfy(NetworkAddressRules.isLoopback) else {
                throw Self.refused("An http client_id is accepted only on a loopback address.")
            }
            return
        }
        guard scheme == "https" else { throw Self.refused("A client_id metadata URL must use https.") }
        guard addresses.allSatisfy(NetworkAddressRules.isPublic) else {
            throw Self.refused("The client_id host '\(host)' resolves to a non-public address.")
        }
    }

    /// The numeric addresses `host` resolves to (a literal address resolves to itself).
    static func resolve(_ host: String) async -> [String] {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: NetworkAddressRules.lookup(name))
            }
        }
    }

    static func refused(_ description: String) -> OAuthError {
        OAuthError("invalid_client", description)
    }
}
