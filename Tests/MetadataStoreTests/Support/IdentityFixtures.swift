import AnalyticsCore
import Foundation
import MetadataStore

/// A user value for tests; the email derives from the id so a test can create several.
func sampleUser(
    _ id: String,
    role: Role = .admin,
    createdAt: Date = Date(timeIntervalSince1970: 1_750_000_000.125)
) -> User {
    User(id: id, email: "\(id)@example.com", displayName: "User \(id)", role: role, createdAt: createdAt)
}

/// Creates the user the tokens of a test act for: every API token belongs to a user.
@discardableResult
func createSampleUser(_ id: String = "owner", role: Role = .admin, in store: any MetadataStore) async throws -> User {
    try await store.createUser(sampleUser(id, role: role))
}

/// Issues an API token for `userID` the way the server does: a random token, only its hash stored.
func issueToken(
    name: String,
    role: Role,
    userID: String,
    in store: any MetadataStore
) async throws -> (token: String, record: APIToken) {
    let token = TokenIssuer.generate()
    let record = try await store.createToken(name: name, role: role, hash: TokenIssuer.hash(token), userID: userID)
    return (token, record)
}

/// Now, offset by `seconds`, in whole milliseconds (the stores' precision), so a value read back
/// compares equal to the one written. Session and code sweeps compare against the real clock, so
/// their tests need times near now rather than fixed dates.
func storeNow(_ seconds: TimeInterval = 0) -> Date {
    Date(timeIntervalSince1970: ((Date().timeIntervalSince1970 + seconds) * 1000).rounded() / 1000)
}
