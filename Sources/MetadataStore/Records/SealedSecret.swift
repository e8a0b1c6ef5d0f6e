import Foundation

/// A secret encrypted with AES-GCM under the key named by ``keyID``.
///
/// Storing the key id beside each ciphertext lets keys rotate one row at a time while readers keep
/// working: any key still in the keyring opens the rows it sealed.
public struct SealedSecret: Sendable, Hashable {
    public var keyID: String
    /// Nonce, ciphertext and tag (`AES.GCM.SealedBox.combined`).
    public var combined: Data

    public init(keyID: String, combined: Data) {
        self.keyID = keyID
        self.combined = combined
    }
}
