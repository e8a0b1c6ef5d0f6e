import AnalyticsCore
import Crypto
import Foundation
import Logging

/// Re-encrypts every stored secret under a new key without a moment where a reader cannot open one.
///
/// Order matters: the new key is first made active — written to the key file, which keeps the old
/// keys — so every process can open both old and new ciphertexts; only then is each row re-sealed,
/// one compare-and-swap at a time (`replaceSealedSecret(…expectedKeyID:)`), so a secret changed
/// meanwhile is reread instead of overwritten.
///
/// With a file-backed vault a new key is generated unless one is given. With `MCPA_SECRET_KEY`
/// the operator supplies the new key; every server must already accept the old key through
/// `MCPA_SECRET_KEYS_PREVIOUS` and the new one, and afterwards runs with `MCPA_SECRET_KEY` set to
/// the new key. Passing no key to an environment-backed vault re-seals everything under its
/// active key (for when `MCPA_SECRET_KEY` was already switched and the old key moved to
/// `MCPA_SECRET_KEYS_PREVIOUS`).
public struct SecretRotation: Sendable {
    /// What a rotation did.
    public struct Report: Sendable, Hashable {
        /// The key every secret is now sealed under.
        public var keyID: String
        /// Secrets re-encrypted by this rotation.
        public var reencrypted: Int
        /// Secrets that were already under the new key.
        public var unchanged: Int
        /// Compare-and-swap misses (a secret changed concurrently) that were reread and retried.
        public var retried: Int
    }

    let store: any SecretStore & EventLog
    let vault: SecretVault
    let logger: Logger

    public init(store: any SecretStore & EventLog, vault: SecretVault, logger: Logger) {
        self.store = store
        self.vault = vault
        var logger = logger
        logger[metadataKey: "mcpa.component"] = "secret-rotation"
        self.logger = logger
    }

    /// Activates `newKey` (or a generated key for a file-backed vault, or the active key of an
    /// environment-backed one) and re-seals every secret under it; then appends a `secret.rotated` event.
    public func rotate(to newKey: SymmetricKey? = nil) async throws -> Report {
        let keyID: String
        if let newKey {
            keyID = try self.vault.activate(newKey)
        } else if self.vault.isFileBacked {
            keyID = try self.vault.activate(SecretKeyring.generateKey())
        } else {
            keyID = self.vault.activeKeyID
        }
        var report = Report(keyID: keyID, reencrypted: 0, unchanged: 0, retried: 0)
        let secrets = try await self.store.allSealedSecrets()
        for datasetID in secrets.keys.sorted() {
            guard var current = secrets[datasetID] else { continue }
            for _ in 0..<8 {
                if current.keyID == keyID {
                    report.unchanged += 1
                    break
                }
                let resealed = try self.vault.seal(try self.vault.open(current), keyID: keyID)
                if try await self.store.replaceSealedSecret(datasetID: datasetID, with: resealed, expectedKeyID: current.keyID) {
                    report.reencrypted += 1
                    break
                }
                report.retried += 1
                guard let fresh = try await self.store.sealedSecret(datasetID: datasetID) else { break }
                current = fresh
            }
        }
        _ = try await self.store.appendEvent(
            kind: .secretRotated,
            datasetID: nil,
            payload: ["key_id": .string(keyID), "reencrypted": .int(Int64(report.reencrypted))]
        )
        self.logger.notice(
            "Secret rotation finished.",
            metadata: [
                "mcpa.secrets.key_id": "\(keyID)", "mcpa.secrets.reencrypted": "\(report.reencrypted)",
                "mcpa.secrets.unchanged": "\(report.unchanged)", "mcpa.secrets.retried": "\(report.retried)",
            ]
        )
        return report
    }
}
