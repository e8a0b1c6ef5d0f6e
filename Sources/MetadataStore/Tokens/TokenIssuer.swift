import AnalyticsCore
import Crypto
import Foundation

/// Creates API tokens and the hashes the store keeps instead of them.
///
/// A token is `mcpa_` followed by 32 random bytes in unpadded base64url: 256 bits of entropy, so a
/// plain SHA-256 (no salt, no stretching) is enough to make the stored hash useless to an attacker,
/// and lookups stay a single indexed equality.
public enum TokenIssuer {
    public static let prefix = "mcpa_"

    /// A new random token. Show it once; store only ``hash(_:)``.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let encoded = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + encoded
    }

    /// Lowercase hex SHA-256 of the token's UTF-8 bytes.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
