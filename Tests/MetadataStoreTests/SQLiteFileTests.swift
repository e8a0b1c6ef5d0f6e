import AnalyticsCore
import Foundation
import TestSupport
import Testing

@testable import MetadataStore

@Suite("SQLite store file")
struct SQLiteFileTests {
    /// The plain password of a sealed connection URL never reaches the database file or its WAL.
    @Test func filesNeverHoldThePlainPassword() async throws {
        let password = "Zebra-Quartz-7781-plaintext"
        let token = TokenIssuer.generate()
        let (path, bytes) = try await withStore(.sqlite) { f in
            let vault = SecretVault(keyring: SecretKeyring(active: SecretKeyring.generateKey()), logger: testLogger)
            let url = try ConnectionURL("postgres://reader:\(password)@db.example.com:5432/panel")
            var dataset = sampleDataset("secret_panel")
            dataset.name = "Distinctive-Panel-Name-4242"
            dataset.redactedURL = url.redacted
            _ = try await f.store.createDataset(dataset, secret: try vault.seal(url.raw), actor: "admin")
            try await f.store.setSealedSecret(datasetID: "secret_panel", try vault.seal(url.raw))
            let owner = try await createSampleUser(in: f.store)
            _ = try await f.store.createToken(name: "ci", role: .admin, hash: TokenIssuer.hash(token), userID: owner.id)
            #expect(try vault.open(try #require(try await f.store.sealedSecret(datasetID: "secret_panel"))) == url.raw)
            let path = try #require(f.sqlitePath)
            var bytes = Data()
            for suffix in ["", "-wal", "-shm"] {
                if let data = FileManager.default.contents(atPath: path + suffix) { bytes.append(data) }
            }
            return (path, bytes)
        }
        #expect(!path.isEmpty)
        #expect(bytes.range(of: Data("Distinctive-Panel-Name-4242".utf8)) != nil, "the scan reads the real content")
        #expect(bytes.range(of: Data(password.utf8)) == nil)
        #expect(bytes.range(of: Data(token.utf8)) == nil, "only token hashes are stored")
        #expect(bytes.range(of: Data(TokenIssuer.hash(token).utf8)) != nil)
    }

    @Test func timestampsRoundTripAtMillisecondPrecision() throws {
        let dates = [
            Date(timeIntervalSince1970: 0),
            Date(timeIntervalSince1970: 1_760_000_000.123),
            Date(timeIntervalSince1970: 951_782_400.999),
            Date(timeIntervalSince1970: -86_400.5),
            Date(timeIntervalSince1970: 4_102_444_800.001),
        ]
        for date in dates {
            let text = StoreTimestamp.text(date)
            #expect(text.count == 24)
            #expect(StoreTimestamp.parse(text) == StoreTimestamp.normalize(date))
        }
        #expect(StoreTimestamp.text(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
        #expect(StoreTimestamp.text(Date(timeIntervalSince1970: 1_760_000_000.123)) == "2025-10-09T08:53:20.123Z")
        for bad in ["", "2025-10-09 08:53:20.123Z", "2025-13-09T08:53:20.123Z", "2025-10-09T08:53:20.12xZ"] {
            #expect(StoreTimestamp.parse(bad) == nil)
        }
        let earlier = StoreTimestamp.text(Date(timeIntervalSince1970: 1_000))
        let later = StoreTimestamp.text(Date(timeIntervalSince1970: 1_000.001))
        #expect(earlier < later, "the text form sorts in time order")
    }
}
