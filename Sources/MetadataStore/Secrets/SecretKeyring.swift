import AnalyticsCore
import Crypto
import Foundation

/// AES-256 keys by id, one of them active for sealing.
///
/// A key's id is the first 16 hex characters of the SHA-256 of its bytes: stable, derived from the
/// key alone (two processes given the same key agree on its id) and safe to store and log.
public struct SecretKeyring: Sendable {
    /// The key new secrets are sealed with.
    public private(set) var activeKeyID: String
    /// Key bytes by id (`SymmetricKey` is not `Sendable`, so keys are rebuilt on use).
    private var keys: [String: Data]

    /// A keyring that seals with `active` and still opens secrets sealed with any of `previous`.
    public init(active: SymmetricKey, previous: [SymmetricKey] = []) {
        var keys: [String: Data] = [:]
        for key in previous { keys[Self.keyID(for: key)] = Self.bytes(of: key) }
        let activeID = Self.keyID(for: active)
        keys[activeID] = Self.bytes(of: active)
        self.activeKeyID = activeID
        self.keys = keys
    }

    init(activeKeyID: String, keys: [String: SymmetricKey]) {
        self.activeKeyID = activeKeyID
        self.keys = keys.mapValues { Self.bytes(of: $0) }
    }

    /// Every key id the keyring can open, sorted.
    public var keyIDs: [String] { self.keys.keys.sorted() }

    func key(id: String) -> SymmetricKey? { self.keys[id].map { SymmetricKey(data: $0) } }

    /// Adds `key` (if new) and makes it the active one; returns its id.
    mutating func activate(_ key: SymmetricKey) -> String {
        let id = Self.keyID(for: key)
        self.keys[id] = Self.bytes(of: key)
        self.activeKeyID = id
        return id
    }

    private static func bytes(of key: SymmetricKey) -> Data {
        key.withUnsafeBytes { Data($0) }
    }

    /// The first 16 hex characters of SHA-256 of the key bytes.
    public static func keyID(for key: SymmetricKey) -> String {
        let digest = key.withUnsafeBytes { SHA256.hash(data: Data($0)) }
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined().prefix(16).description
    }

    /// A fresh random 256-bit key.
    public static func generateKey() -> SymmetricKey {
        SymmetricKey(size: .bits256)
    }

    /// The key's bytes in base64, for the key file or an environment variable.
    public static func base64(of key: SymmetricKey) -> String {
        key.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// Decodes a base64 key of exactly 32 bytes; `source` names where it came from for the error
    /// message (the value itself is never repeated).
    public static func decodeKey(base64 text: String, source: String) throws -> SymmetricKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: trimmed) else {
            throw AnalyticsError(
                .secretKeyInvalid,
                "\(source) is not valid base64.",
                hint: "Generate a key with `openssl rand -base64 32`."
            )
        }
        guard data.count == 32 else {
            throw AnalyticsError(
                .secretKeyInvalid,
                "\(source) decodes to \(data.count) bytes; an AES-256 key needs exactly 32.",
                hint: "Generate a key with `openssl rand -base64 32`."
            )
        }
        return SymmetricKey(data: data)
    }
}
