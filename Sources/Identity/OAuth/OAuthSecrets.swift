import Crypto
import Foundation
import MetadataStore

/// Random credentials of the authorization server and the PKCE check. Every value is 256 random bits
/// in base64url behind a prefix that says what it is, so a token in a log line or a bug report is
/// recognisable (and never mistaken for another kind); the store keeps only ``TokenIssuer/hash(_:)``.
public enum OAuthSecrets {
    public static let accessPrefix = "mcpat_"
    public static let refreshPrefix = "mcprt_"
    static let codePrefix = "mcpac_"
    static let clientSecretPrefix = "mcpcs_"
    static let sessionPrefix = "mcpss_"

    static func generate(prefix: String) -> String {
        prefix + self.randomBase64URL(bytes: 32)
    }

    static func randomBase64URL(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return self.base64URL(Data(bytes))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// RFC 7636 §4.1: 43–128 characters of `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`.
    static func isValidVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.count) && verifier.unicodeScalars.allSatisfy(Self.isUnreserved)
    }

    /// An S256 challenge is base64url of 32 bytes: exactly 43 characters.
    static func isValidChallenge(_ challenge: String) -> Bool {
        challenge.count == 43 && challenge.unicodeScalars.allSatisfy(Self.isUnreserved)
    }

    /// `BASE64URL(SHA256(verifier)) == challenge`, compared in constant time.
    static func verifies(verifier: String, challenge: String) -> Bool {
        let computed = self.base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
        return self.constantTimeEquals(computed, challenge)
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    static func isUnreserved(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "-", ".", "_", "~": true
        default: false
        }
    }
}
