import AnalyticsCore
import Crypto
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The key file: `{"active": id, "keys": {id: base64}}`, readable by its owner only (0600).
///
/// It is created on first use and rewritten atomically (write a private temporary file, then
/// rename) when a rotation adds a key, so a reader in another process sees the old or the new file,
/// never half of one.
struct SecretKeyFile: Sendable {
    let path: String

    private struct Contents: Codable {
        var active: String
        var keys: [String: String]
    }

    /// Loads the file, creating it with a fresh key if it does not exist.
    func loadOrCreate(logger: Logger) throws -> SecretKeyring {
        if let keyring = try self.load(logger: logger) { return keyring }
        let keyring = SecretKeyring(active: SecretKeyring.generateKey())
        if try self.create(keyring) {
            logger.notice(
                "Created a new secret key file.",
                metadata: ["mcpa.secrets.key_file": "\(self.path)", "mcpa.secrets.key_id": "\(keyring.activeKeyID)"]
            )
            return keyring
        }
        // Another process created it first: use theirs.
        guard let keyring = try self.load(logger: logger) else { throw self.invalid("disappeared while it was being created") }
        return keyring
    }

    /// The keyring in the file, or `nil` if there is no file. A file others can read is repaired
    /// (mode set to 0600) with a warning; one that cannot be repaired is refused.
    func load(logger: Logger) throws -> SecretKeyring? {
        var info = stat()
        guard stat(self.path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw self.invalid("cannot be read")
        }
        if info.st_mode & 0o077 != 0 {
            logger.warning(
                "The secret key file was readable by other users; restricting it to mode 0600.",
                metadata: ["mcpa.secrets.key_file": "\(self.path)"]
            )
            guard chmod(self.path, 0o600) == 0 else {
                throw AnalyticsError(
                    .secretKeyInvalid,
                    "The secret key file \(self.path) is readable by other users and its mode cannot be changed.",
                    hint: "Run `chmod 600 \(self.path)` as its owner, or set MCPA_SECRET_KEY instead."
                )
            }
        }
        guard let data = FileManager.default.contents(atPath: self.path) else { throw self.invalid("cannot be read") }
        guard let contents = try? JSONDecoder().decode(Contents.self, from: data) else { throw self.invalid("is not valid JSON") }
        var keys: [String: SymmetricKey] = [:]
        for (id, text) in contents.keys {
            let key = try SecretKeyring.decodeKey(base64: text, source: "Key '\(id)' in \(self.path)")
            guard SecretKeyring.keyID(for: key) == id else { throw self.invalid("lists key '\(id)' under the wrong id") }
            keys[id] = key
        }
        guard keys[contents.active] != nil else { throw self.invalid("names an active key it does not contain") }
        return SecretKeyring(activeKeyID: contents.active, keys: keys)
    }

    /// Replaces the file with `keyring` atomically.
    func write(_ keyring: SecretKeyring) throws {
        let temporary = try self.writeTemporary(keyring)
        guard rename(temporary, self.path) == 0 else {
            unlink(temporary)
            throw self.invalid("cannot be replaced")
        }
    }

    /// The file's modification time, to notice a rotation by another process.
    func modificationStamp() -> timespec? {
        var info = stat()
        guard stat(self.path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        return info.st_mtimespec
        #else
        return info.st_mtim
        #endif
    }

    /// Creates the file only if it does not exist yet; returns whether this call created it.
    private func create(_ keyring: SecretKeyring) throws -> Bool {
        let directory = URL(fileURLWithPath: self.path).deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = try self.writeTemporary(keyring)
        defer { unlink(temporary) }
        if link(temporary, self.path) == 0 { return true }
        if errno == EEXIST { return false }
        throw self.invalid("cannot be created")
    }

    /// Writes the JSON to a new 0600 file beside the key file and returns its path.
    private func writeTemporary(_ keyring: SecretKeyring) throws -> String {
        var keys: [String: String] = [:]
        for id in keyring.keyIDs {
            if let key = keyring.key(id: id) { keys[id] = SecretKeyring.base64(of: key) }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(Contents(active: keyring.activeKeyID, keys: keys))
        let temporary = "\(self.path).\(UUID().uuidString).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw self.invalid("cannot be written (check the directory's permissions)") }
        defer { close(descriptor) }
        let written = data.withUnsafeBytes { buffer in systemWrite(descriptor, buffer.baseAddress, buffer.count) }
        guard written == data.count, fsync(descriptor) == 0 else {
            unlink(temporary)
            throw self.invalid("cannot be written")
        }
        return temporary
    }

    private func invalid(_ problem: String) -> AnalyticsError {
        AnalyticsError(
            .secretKeyInvalid,
            "The secret key file \(self.path) \(problem).",
            hint: "Restore the key file from backup, or set MCPA_SECRET_KEY; without the key, stored secrets cannot be opened."
        )
    }
}

/// `write(2)`, named apart from ``SecretKeyFile/write(_:)``.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
    #elseif canImport(Musl)
    Musl.write(descriptor, bytes, count)
    #else
    Darwin.write(descriptor, bytes, count)
    #endif
}
