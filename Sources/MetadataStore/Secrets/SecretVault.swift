// TEMPORARY stand-in until the store branch lands; replaced by its implementation.
import AnalyticsCore
import Crypto
import Foundation

public struct SecretVault: Sendable {
    let keyData = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    var key: SymmetricKey { SymmetricKey(data: keyData) }
    public init() {}
    public func seal(_ plaintext: String) throws -> SealedSecret {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: key)
        return SealedSecret(keyID: "tmp", combined: box.combined!)
    }
    public func open(_ secret: SealedSecret) throws -> String {
        let box = try AES.GCM.SealedBox(combined: secret.combined)
        return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
    }
}

public enum TokenIssuer {
    public static func generate() -> (token: String, hash: String) {
        let t = "mcpa_" + UUID().uuidString
        return (t, hash(t))
    }
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
extension SecretVault {
    public static func load(environment: [String: String], keyFile: String, logger: Any) throws -> SecretVault { SecretVault() }
}
public enum MetadataStores {
    public static func open(url: String, logger: Any) throws -> any MetadataStore { fatalError() }
}
public enum SecretRotation {
    public static func rotate(store: any MetadataStore, environment: [String: String], keyFile: String, logger: Any) async throws -> Int { 0 }
}
