import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing off the cooperative thread pool: a cost-12 hash takes a few hundred milliseconds
/// of CPU, which must not stall the async runtime's few threads.
public struct PasswordHasher: Sendable {
    public var cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    /// A bcrypt hash of `password`.
    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`. With no hash (unknown user) a dummy hash is checked, so
    /// the answer takes as long as for a real user and does not reveal which emails exist.
    public func verify(_ password: String, hash: String?) async throws -> Bool {
        let stored = hash ?? Self.dummyHash
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: stored) }
        return hash != nil && matches
    }

    /// The bcrypt hash of a random string nobody knows, at cost 12.
    static let dummyHash = "$2b$12$C6UzMDM.H6dfI/f/IKxGhuQpTNBmCN3G7.zBfO1jMlRJlqZC2S/wK"
}
