import AnalyticsCore
import Foundation
import MetadataStore
import TestSupport
import Testing

/// Secrets and tokens half of the store contract, run unchanged against SQLite and PostgreSQL.
@Suite("Store contract: secrets and tokens")
struct SecretTokenContractTests {
    @Test(arguments: StoreBackend.allCases)
    func secretsAreStoredAndReplacedByCompareAndSwap(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            _ = try await f.store.createDataset(sampleDataset("one"), secret: sampleSecret("k1"), actor: "admin")
            _ = try await f.store.createDataset(sampleDataset("two"), secret: sampleSecret("k1"), actor: "admin")
            #expect(try await f.store.sealedSecret(datasetID: "one") == sampleSecret("k1"))
            #expect(try await f.store.sealedSecret(datasetID: "nobody") == nil)

            let replacement = SealedSecret(keyID: "k2", combined: Data([0, 1, 2, 255]))
            #expect(try await f.store.replaceSealedSecret(datasetID: "one", with: replacement, expectedKeyID: "k9") == false)
            #expect(try await f.store.sealedSecret(datasetID: "one") == sampleSecret("k1"), "a CAS miss changes nothing")
            #expect(try await f.store.replaceSealedSecret(datasetID: "one", with: replacement, expectedKeyID: "k1"))
            #expect(try await f.store.sealedSecret(datasetID: "one") == replacement)
            #expect(try await f.store.replaceSealedSecret(datasetID: "one", with: sampleSecret("k3"), expectedKeyID: "k1") == false)
            #expect(try await f.store.replaceSealedSecret(datasetID: "nobody", with: replacement, expectedKeyID: "k1") == false)

            try await f.store.setSealedSecret(datasetID: "two", sampleSecret("k5"))
            #expect(try await f.store.sealedSecret(datasetID: "two") == sampleSecret("k5"))
            await expectError(.datasetNotFound) { try await f.store.setSealedSecret(datasetID: "nobody", sampleSecret()) }

            #expect(try await f.store.allSealedSecrets() == ["one": replacement, "two": sampleSecret("k5")])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentCompareAndSwapHasOneWinner(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            _ = try await f.store.createDataset(sampleDataset("cas"), secret: sampleSecret("old"), actor: "admin")
            let results = try await f.withSecondStore { other in
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<8 {
                        let store = index.isMultiple(of: 2) ? f.store : other
                        group.addTask {
                            try await store.replaceSealedSecret(datasetID: "cas", with: sampleSecret("new\(index)"), expectedKeyID: "old")
                        }
                    }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
            }
            #expect(results.filter { $0 }.count == 1)
            #expect(try await f.store.sealedSecret(datasetID: "cas")?.keyID.hasPrefix("new") == true)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func tokensAreFoundByHashAndRevoked(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let owner = try await createSampleUser(in: f.store)
            let (token, record) = try await issueToken(name: "ci", role: .analyst, userID: owner.id, in: f.store)
            let hash = TokenIssuer.hash(token)
            let found = try #require(try await f.store.token(hash: hash))
            #expect(found == record)
            #expect(found.role == .analyst)
            #expect(found.userID == owner.id)
            #expect(found.isRevoked == false)
            #expect(try await f.store.token(hash: token) == nil, "the store is keyed by hash, not by token")
            #expect(try await f.store.token(hash: TokenIssuer.hash("mcpa_unknown")) == nil)

            let admin = try await f.store.createToken(
                name: "ops",
                role: .admin,
                hash: TokenIssuer.hash(TokenIssuer.generate()),
                userID: owner.id
            )
            #expect(try await f.store.tokens().map(\.id).sorted() == [record.id, admin.id].sorted())
            #expect(try await f.store.tokens().allSatisfy { $0.userID == owner.id })
            await expectError(.conflict) { try await f.store.createToken(name: "copy", role: .viewer, hash: hash, userID: owner.id) }

            let used = Date(timeIntervalSince1970: 1_750_000_000.123)
            try await f.store.touchToken(id: record.id, at: used)
            #expect(try await f.store.token(hash: hash)?.lastUsedAt == used)
            await expectError(.tokenNotFound) { try await f.store.touchToken(id: "ghost", at: used) }

            let revoked = try await f.store.revokeToken(id: record.id)
            let revokedAt = try #require(revoked.revokedAt)
            #expect(try await f.store.token(hash: hash)?.isRevoked == true)
            let again = try await f.store.revokeToken(id: record.id)
            #expect(again.revokedAt == revokedAt, "revoking twice keeps the first revocation time")
            #expect(try await f.store.token(hash: TokenIssuer.hash(TokenIssuer.generate())) == nil)
            #expect(try await f.store.tokens().first { $0.id == admin.id }?.isRevoked == false)
            let error = await expectError(.tokenNotFound) { try await f.store.revokeToken(id: "ghost") }
            #expect(error?.httpStatus == 404)
        }
    }
}
