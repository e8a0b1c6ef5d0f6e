import AnalyticsCore
import Crypto
import Foundation
import MetadataStore
import TestSupport
import Testing

@Suite("Secret vault")
struct SecretVaultTests {
    let url = "postgres://reader:Pa55-w0rd!@db.example.com:5432/panel"

    @Test func sealsAndOpensRoundTrip() throws {
        let vault = SecretVault(keyring: SecretKeyring(active: SecretKeyring.generateKey()), logger: testLogger)
        let sealed = try vault.seal(self.url)
        #expect(sealed.keyID == vault.activeKeyID)
        #expect(sealed.keyID.count == 16)
        #expect(sealed.keyID.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(!String(decoding: sealed.combined, as: UTF8.self).contains("Pa55-w0rd"))
        #expect(try vault.open(sealed) == self.url)
        #expect(try vault.seal(self.url).combined != sealed.combined, "a fresh nonce every time")
        #expect(try vault.open(try vault.seal("")) == "")
    }

    @Test func keyIDIsTheHashPrefixOfTheKey() {
        let key = SymmetricKey(data: Data(repeating: 0, count: 32))
        // SHA-256 of 32 zero bytes is 66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925.
        #expect(SecretKeyring.keyID(for: key) == "66687aadf862bd77")
    }

    @Test func aForeignKeyIDIsACodedError() throws {
        let a = SecretVault(keyring: SecretKeyring(active: SecretKeyring.generateKey()), logger: testLogger)
        let b = SecretVault(keyring: SecretKeyring(active: SecretKeyring.generateKey()), logger: testLogger)
        let sealed = try a.seal(self.url)
        do {
            _ = try b.open(sealed)
            Issue.record("opening with the wrong keyring succeeded")
        } catch let error as AnalyticsError {
            #expect(error.code == .secretKeyMissing)
            #expect(error.message.contains(sealed.keyID), "the error names the missing key id")
        }
    }

    @Test func tamperedCiphertextIsRejected() throws {
        let vault = SecretVault(keyring: SecretKeyring(active: SecretKeyring.generateKey()), logger: testLogger)
        var sealed = try vault.seal(self.url)
        sealed.combined[sealed.combined.count - 1] ^= 0x01
        let garbage = SealedSecret(keyID: vault.activeKeyID, combined: Data([1, 2, 3]))
        for bad in [sealed, garbage] {
            do {
                _ = try vault.open(bad)
                Issue.record("a tampered secret opened")
            } catch let error as AnalyticsError {
                #expect(error.code == .secretUnreadable)
                #expect(error.message.contains(vault.activeKeyID))
            }
        }
    }

    @Test func environmentKeysAreLoadedAndPreviousKeysStillOpen() throws {
        let old = SecretKeyring.generateKey()
        let new = SecretKeyring.generateKey()
        let before = try SecretVault.load(environment: [SecretVault.keyVariable: SecretKeyring.base64(of: old)], logger: testLogger)
        #expect(before.activeKeyID == SecretKeyring.keyID(for: old))
        #expect(before.isFileBacked == false)
        let sealed = try before.seal(self.url)

        let after = try SecretVault.load(
            environment: [
                SecretVault.keyVariable: SecretKeyring.base64(of: new),
                SecretVault.previousKeysVariable: " \(SecretKeyring.base64(of: SecretKeyring.generateKey())) , \(SecretKeyring.base64(of: old))",
            ],
            logger: testLogger
        )
        #expect(after.activeKeyID == SecretKeyring.keyID(for: new))
        #expect(after.keyIDs.count == 3)
        #expect(try after.open(sealed) == self.url)
        #expect(try after.seal(self.url).keyID == SecretKeyring.keyID(for: new))
    }

    @Test(arguments: ["not base64 at all!", "c2hvcnQ=", Data(repeating: 7, count: 33).base64EncodedString()])
    func badEnvironmentKeysAreRejected(_ value: String) throws {
        do {
            _ = try SecretVault.load(environment: [SecretVault.keyVariable: value], logger: testLogger)
            Issue.record("a bad MCPA_SECRET_KEY was accepted")
        } catch let error as AnalyticsError {
            #expect(error.code == .secretKeyInvalid)
            #expect(error.message.contains(SecretVault.keyVariable))
            #expect(!error.message.contains(value), "the value itself is never echoed")
        }
        let good = SecretKeyring.base64(of: SecretKeyring.generateKey())
        do {
            _ = try SecretVault.load(
                environment: [SecretVault.keyVariable: good, SecretVault.previousKeysVariable: value],
                logger: testLogger
            )
            Issue.record("a bad previous key was accepted")
        } catch let error as AnalyticsError {
            #expect(error.code == .secretKeyInvalid)
            #expect(error.message.contains(SecretVault.previousKeysVariable))
        }
    }

    @Test func keyFileIsCreatedPrivateAndReused() throws {
        let directory = try TemporaryDirectory(prefix: "mcpa-keys")
        defer { directory.remove() }
        let path = directory.file("sub/secret.key")
        let first = try SecretVault.load(environment: [:], keyFilePath: path, logger: testLogger)
        #expect(first.isFileBacked)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let json = try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(json["active"] == .string(first.activeKeyID))
        #expect(json["keys"]?.objectValue?.keys.sorted() == [first.activeKeyID])
        let sealed = try first.seal(self.url)

        let second = try SecretVault.load(environment: [:], keyFilePath: path, logger: testLogger)
        #expect(second.activeKeyID == first.activeKeyID)
        #expect(try second.open(sealed) == self.url)
        let viaVariable = try SecretVault.load(environment: [SecretVault.keyFileVariable: path], keyFilePath: "/nonexistent/x", logger: testLogger)
        #expect(viaVariable.activeKeyID == first.activeKeyID)
    }

    @Test func aWorldReadableKeyFileIsRepaired() throws {
        let directory = try TemporaryDirectory(prefix: "mcpa-keys")
        defer { directory.remove() }
        let path = directory.file("secret.key")
        let created = try SecretVault.load(environment: [:], keyFilePath: path, logger: testLogger)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let reloaded = try SecretVault.load(environment: [:], keyFilePath: path, logger: testLogger)
        #expect(reloaded.activeKeyID == created.activeKeyID)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test(arguments: [
        "not json",
        #"{"active": "abc", "keys": {}}"#,
        #"{"active": "0000000000000000", "keys": {"0000000000000000": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}"#,
    ])
    func corruptKeyFilesAreRejected(_ contents: String) throws {
        let directory = try TemporaryDirectory(prefix: "mcpa-keys")
        defer { directory.remove() }
        let path = directory.file("secret.key")
        _ = FileManager.default.createFile(atPath: path, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600])
        do {
            _ = try SecretVault.load(environment: [:], keyFilePath: path, logger: testLogger)
            Issue.record("a corrupt key file was accepted")
        } catch let error as AnalyticsError {
            #expect(error.code == .secretKeyInvalid)
            #expect(error.message.contains(path))
        }
    }

    @Test func tokensAreRandomURLSafeAndHashedWithSHA256() {
        let token = TokenIssuer.generate()
        #expect(token.hasPrefix("mcpa_"))
        #expect(token.count == 5 + 43)
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(token.dropFirst(5).allSatisfy { allowed.contains($0) })
        #expect(Set((0..<50).map { _ in TokenIssuer.generate() }).count == 50)
        #expect(TokenIssuer.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(TokenIssuer.hash(token).count == 64)
        #expect(TokenIssuer.hash(token) != TokenIssuer.hash(TokenIssuer.generate()))
    }
}
