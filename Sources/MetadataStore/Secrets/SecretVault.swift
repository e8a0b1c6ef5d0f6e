import AnalyticsCore
import Crypto
import Foundation
import Logging
import Synchronization

/// Seals and opens connection secrets with AES-GCM under a keyring with key ids.
///
/// Keys come from `MCPA_SECRET_KEY` (plus `MCPA_SECRET_KEYS_PREVIOUS`, still accepted for reading)
/// or from a key file created on first use (see ``load(environment:keyFilePath:logger:)``). Every
/// ciphertext carries its key id, so keys rotate row by row (``SecretRotation``). A file-backed vault
/// rereads the key file when it changes, so a rotation done by another process (the CLI) reaches a
/// running server without a restart. Key material never appears in errors or logs.
public final class SecretVault: Sendable {
    /// Base64 of the 32-byte active key.
    public static let keyVariable = "MCPA_SECRET_KEY"
    /// Comma-separated base64 keys that still open older secrets.
    public static let previousKeysVariable = "MCPA_SECRET_KEYS_PREVIOUS"
    /// Overrides the key file's path.
    public static let keyFileVariable = "MCPA_SECRET_KEY_FILE"
    public static let defaultKeyFilePath = "./data/secret.key"

    private struct State {
        var keyring: SecretKeyring
        var fileStamp: timespec?
    }

    private let state: Mutex<State>
    private let keyFile: SecretKeyFile?
    private let logger: Logger

    /// A vault over a fixed keyring (keys from the environment or a test).
    public init(keyring: SecretKeyring, logger: Logger) {
        self.state = Mutex(State(keyring: keyring, fileStamp: nil))
        self.keyFile = nil
        self.logger = logger
    }

    private init(keyFile: SecretKeyFile, logger: Logger) throws {
        let keyring = try keyFile.loadOrCreate(logger: logger)
        self.state = Mutex(State(keyring: keyring, fileStamp: keyFile.modificationStamp()))
        self.keyFile = keyFile
        self.logger = logger
    }

    /// Loads the keyring: from `MCPA_SECRET_KEY` (and `MCPA_SECRET_KEYS_PREVIOUS`) when set,
    /// otherwise from the key file (`MCPA_SECRET_KEY_FILE` or `keyFilePath`), created with mode 0600
    /// on first use. A malformed key is `SECRET_KEY_INVALID`.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        keyFilePath: String = defaultKeyFilePath,
        logger: Logger
    ) throws -> SecretVault {
        var logger = logger
        logger[metadataKey: "mcpa.component"] = "secrets"
        if let value = environment[keyVariable], !value.trimmingCharacters(in: .whitespaces).isEmpty {
            let active = try SecretKeyring.decodeKey(base64: value, source: keyVariable)
            var previous: [SymmetricKey] = []
            let list = environment[previousKeysVariable] ?? ""
            for (index, item) in list.split(separator: ",").enumerated() {
                let trimmed = item.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else { continue }
                previous.append(try SecretKeyring.decodeKey(base64: trimmed, source: "\(previousKeysVariable) entry \(index + 1)"))
            }
            return SecretVault(keyring: SecretKeyring(active: active, previous: previous), logger: logger)
        }
        let path = environment[keyFileVariable].flatMap { $0.isEmpty ? nil : $0 } ?? keyFilePath
        return try SecretVault(keyFile: SecretKeyFile(path: path), logger: logger)
    }

    /// Whether keys live in a key file (rotation then generates and stores the new key itself).
    public var isFileBacked: Bool { self.keyFile != nil }

    /// The id new secrets are sealed under.
    public var activeKeyID: String {
        self.refreshIfFileChanged()
        return self.state.withLock { $0.keyring.activeKeyID }
    }

    /// Every key id this vault can open.
    public var keyIDs: [String] {
        self.state.withLock { $0.keyring.keyIDs }
    }

    /// Encrypts `plaintext` under the active key.
    public func seal(_ plaintext: String) throws -> SealedSecret {
        self.refreshIfFileChanged()
        let (id, key) = self.state.withLock { state in
            (state.keyring.activeKeyID, state.keyring.key(id: state.keyring.activeKeyID))
        }
        guard let key else { throw Self.missing(id) }
        return try Self.seal(plaintext, key: key, keyID: id)
    }

    /// Decrypts a secret. A key id this vault does not know makes a file-backed vault reread its key
    /// file once (another process may have rotated); still unknown, it is `SECRET_KEY_MISSING`.
    public func open(_ sealed: SealedSecret) throws -> String {
        var key = self.state.withLock { $0.keyring.key(id: sealed.keyID) }
        if key == nil, self.keyFile != nil {
            try self.reload()
            key = self.state.withLock { $0.keyring.key(id: sealed.keyID) }
        }
        guard let key else { throw Self.missing(sealed.keyID) }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.combined)
            let plaintext = try AES.GCM.open(box, using: key)
            guard let text = String(data: plaintext, encoding: .utf8) else { throw Self.unreadable(sealed.keyID) }
            return text
        } catch let error as AnalyticsError {
            throw error
        } catch {
            throw Self.unreadable(sealed.keyID)
        }
    }

    /// Makes `key` the active key (keeping the others for reading) and, for a file-backed vault,
    /// writes it to the key file before returning. Returns the new key id.
    func activate(_ key: SymmetricKey) throws -> String {
        if let keyFile {
            try self.reload()
            var keyring = self.state.withLock { $0.keyring }
            let id = keyring.activate(key)
            try keyFile.write(keyring)
            self.state.withLock { state in
                state.keyring = keyring
                state.fileStamp = keyFile.modificationStamp()
            }
            self.logger.notice("Activated a new secret key.", metadata: ["mcpa.secrets.key_id": "\(id)"])
            return id
        }
        return self.state.withLock { $0.keyring.activate(key) }
    }

    /// Encrypts under a specific key id (rotation seals under the key it just activated).
    func seal(_ plaintext: String, keyID: String) throws -> SealedSecret {
        guard let key = self.state.withLock({ $0.keyring.key(id: keyID) }) else { throw Self.missing(keyID) }
        return try Self.seal(plaintext, key: key, keyID: keyID)
    }

    private func reload() throws {
        guard let keyFile else { return }
        guard let keyring = try keyFile.load(logger: self.logger) else {
            throw AnalyticsError(
                .secretKeyInvalid,
                "The secret key file \(keyFile.path) is missing.",
                hint: "Restore it from backup; without it stored secrets cannot be opened."
            )
        }
        self.state.withLock { state in
            state.keyring = keyring
            state.fileStamp = keyFile.modificationStamp()
        }
    }

    private func refreshIfFileChanged() {
        guard let keyFile else { return }
        let current = keyFile.modificationStamp()
        let known = self.state.withLock { $0.fileStamp }
        guard current?.tv_sec != known?.tv_sec || current?.tv_nsec != known?.tv_nsec else { return }
        do {
            try self.reload()
        } catch {
            self.logger.error("The secret key file changed but cannot be reread; keeping the keys already loaded.")
        }
    }

    private static func seal(_ plaintext: String, key: SymmetricKey, keyID: String) throws -> SealedSecret {
        do {
            let box = try AES.GCM.seal(Data(plaintext.utf8), using: key)
            guard let combined = box.combined else { throw unreadable(keyID) }
            return SealedSecret(keyID: keyID, combined: combined)
        } catch let error as AnalyticsError {
            throw error
        } catch {
            throw AnalyticsError(.internalError, "Encrypting a secret failed.", hint: "Check the server log.")
        }
    }

    private static func missing(_ keyID: String) -> AnalyticsError {
        AnalyticsError(
            .secretKeyMissing,
            "A secret is sealed under key id '\(keyID)', which is not in the keyring.",
            hint: "Add that key to MCPA_SECRET_KEYS_PREVIOUS or restore the key file that holds it."
        )
    }

    private static func unreadable(_ keyID: String) -> AnalyticsError {
        AnalyticsError(
            .secretUnreadable,
            "A secret sealed under key id '\(keyID)' failed to decrypt.",
            hint: "The ciphertext is corrupted or the key with that id has different bytes; set the secret again."
        )
    }
}
