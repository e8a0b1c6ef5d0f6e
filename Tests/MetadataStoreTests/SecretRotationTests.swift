import AnalyticsCore
import Crypto
import Foundation
import MetadataStore
import TestSupport
import Testing

/// Key rotation against real stores: every secret stays readable and ends under the new key.
@Suite("Secret rotation")
struct SecretRotationTests {
    func seed(_ store: any MetadataStore, vault: SecretVault, count: Int) async throws -> [String: String] {
        var plaintexts: [String: String] = [:]
        for index in 0..<count {
            let id = "rot_\(index)"
            let url = "postgres://reader:pw\(index)-secret@db\(index).example.com/panel"
            plaintexts[id] = url
            _ = try await store.createDataset(sampleDataset(id), secret: try vault.seal(url), actor: "admin")
        }
        return plaintexts
    }

    @Test(arguments: StoreBackend.allCases)
    func fileBackedRotationReencryptsEverySecret(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let keyFile = f.directory.file("keys/secret.key")
            let vault = try SecretVault.load(environment: [:], keyFilePath: keyFile, logger: testLogger)
            let otherProcess = try SecretVault.load(environment: [:], keyFilePath: keyFile, logger: testLogger)
            let oldKeyID = vault.activeKeyID
            let plaintexts = try await self.seed(f.store, vault: vault, count: 6)

            let report = try await SecretRotation(store: f.store, vault: vault, logger: testLogger).rotate()
            #expect(report.keyID != oldKeyID)
            #expect(report.keyID == vault.activeKeyID)
            #expect(report.reencrypted == 6)
            #expect(report.unchanged == 0)

            let secrets = try await f.store.allSealedSecrets()
            #expect(secrets.count == 6)
            for (id, sealed) in secrets {
                #expect(sealed.keyID == report.keyID)
                #expect(try vault.open(sealed) == plaintexts[id])
                #expect(try otherProcess.open(sealed) == plaintexts[id], "another process rereads the key file and opens new secrets")
            }
            #expect(otherProcess.activeKeyID == report.keyID, "and seals under the new key from then on")
            let json = try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: keyFile)))
            #expect(json["active"] == .string(report.keyID))
            #expect(json["keys"]?.objectValue?.keys.sorted() == [oldKeyID, report.keyID].sorted(), "old keys are kept")
            let attributes = try FileManager.default.attributesOfItem(atPath: keyFile)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

            let event = try #require(try await f.store.events(after: 0, limit: 100).last)
            #expect(event.kind == .secretRotated)
            #expect(event.payload["key_id"] == .string(report.keyID))

            let again = try await SecretRotation(store: f.store, vault: vault, logger: testLogger).rotate(to: SecretKeyring.generateKey())
            #expect(again.reencrypted == 6)
            #expect(Set(try await f.store.allSealedSecrets().values.map(\.keyID)) == [again.keyID])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func environmentBackedRotationNeedsTheOldKeyInPrevious(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let old = SecretKeyring.generateKey()
            let new = SecretKeyring.generateKey()
            let vault = try SecretVault.load(environment: [SecretVault.keyVariable: SecretKeyring.base64(of: old)], logger: testLogger)
            let plaintexts = try await self.seed(f.store, vault: vault, count: 4)

            let report = try await SecretRotation(store: f.store, vault: vault, logger: testLogger).rotate(to: new)
            #expect(report.keyID == SecretKeyring.keyID(for: new))
            #expect(report.reencrypted == 4)

            let restarted = try SecretVault.load(
                environment: [
                    SecretVault.keyVariable: SecretKeyring.base64(of: new),
                    SecretVault.previousKeysVariable: SecretKeyring.base64(of: old),
                ],
                logger: testLogger
            )
            let newOnly = try SecretVault.load(environment: [SecretVault.keyVariable: SecretKeyring.base64(of: new)], logger: testLogger)
            for (id, sealed) in try await f.store.allSealedSecrets() {
                #expect(sealed.keyID == report.keyID)
                #expect(try restarted.open(sealed) == plaintexts[id])
                #expect(try newOnly.open(sealed) == plaintexts[id], "after rotation the old key is no longer needed")
            }
            let idle = try await SecretRotation(store: f.store, vault: restarted, logger: testLogger).rotate()
            #expect(idle.reencrypted == 0)
            #expect(idle.unchanged == 4)
        }
    }

    /// Readers running during a rotation always open every secret.
    @Test(arguments: StoreBackend.allCases)
    func readersNeverSeeAnUnreadableSecretDuringRotation(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let keyFile = f.directory.file("secret.key")
            let vault = try SecretVault.load(environment: [:], keyFilePath: keyFile, logger: testLogger)
            let reader = try SecretVault.load(environment: [:], keyFilePath: keyFile, logger: testLogger)
            let plaintexts = try await self.seed(f.store, vault: vault, count: 10)
            let failures = try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    _ = try await SecretRotation(store: f.store, vault: vault, logger: testLogger).rotate()
                    return 0
                }
                group.addTask {
                    var failures = 0
                    for _ in 0..<10 {
                        for (id, sealed) in try await f.store.allSealedSecrets() where (try? reader.open(sealed)) != plaintexts[id] {
                            failures += 1
                        }
                    }
                    return failures
                }
                return try await group.reduce(0, +)
            }
            #expect(failures == 0)
        }
    }
}
