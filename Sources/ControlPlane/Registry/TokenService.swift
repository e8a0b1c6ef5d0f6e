import AnalyticsCore
import Foundation
import MetadataStore

/// Issues tokens: the plain token is returned once and only its hash is stored.
public struct TokenService: Sendable {
    let store: any TokenStore

    public init(store: any TokenStore) {
        self.store = store
    }

    /// A newly issued token; `token` is shown this once.
    public struct Issued: Encodable, Sendable {
        public var token: String
        public var record: APIToken

        enum CodingKeys: String, CodingKey {
            case token
            case record = "token_info"
        }
    }

    public func create(name: String, role: Role) async throws -> Issued {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(trimmed.count) else {
            throw AnalyticsError.invalidRequest("A token name must have 1–100 characters.")
        }
        let (token, record) = try await TokenIssuer.issue(name: trimmed, role: role, in: self.store)
        return Issued(token: token, record: record)
    }
}
