import AnalyticsCore
import Foundation
import MetadataStore
import TestSupport
import Testing

/// Users, browser sessions, upstream identities and the OAuth authorization server's records: the
/// identity half of the store contract, run unchanged against SQLite and PostgreSQL.
@Suite("Store contract: identity")
struct IdentityContractTests {
    /// A fixed time at the stores' precision (whole milliseconds), so values read back compare equal.
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000.123)

    // MARK: Users

    @Test(arguments: StoreBackend.allCases)
    func usersAreCreatedNormalisedAndListed(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let alice = try await f.store.createUser(
                User(
                    id: "alice",
                    email: "  Alice@Example.COM ",
                    displayName: " Alice ",
                    role: .analyst,
                    passwordHash: "$2b$12$secret-bcrypt-hash-value",
                    createdAt: Date(timeIntervalSince1970: 1_750_000_100.1234567)
                )
            )
            #expect(alice.email == "alice@example.com", "emails are trimmed and lowercased")
            #expect(alice.displayName == "Alice")
            #expect(alice.createdAt == Date(timeIntervalSince1970: 1_750_000_100.123), "times are kept to the millisecond")
            #expect(alice.isActive)
            #expect(try await f.store.user(id: "alice") == alice)
            #expect(try await f.store.user(email: " ALICE@example.com") == alice, "email lookup ignores case")
            #expect(try await f.store.user(id: "alice")?.passwordHash == "$2b$12$secret-bcrypt-hash-value")
            #expect(try await f.store.user(id: "ghost") == nil)
            #expect(try await f.store.user(email: "ghost@example.com") == nil)

            // The hash stays in the server: the encoded form only says whether there is one.
            let encoded = try JSONEncoder().encode(try #require(try await f.store.user(id: "alice")))
            #expect(String(decoding: encoded, as: UTF8.self).contains("secret-bcrypt-hash-value") == false)
            let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
            #expect(object["has_password"] as? Bool == true)
            #expect(object["password_hash"] == nil)
            #expect(object["email"] as? String == "alice@example.com")

            var blankName = sampleUser("bob", role: .viewer, createdAt: Self.t0.addingTimeInterval(500))
            blankName.displayName = "   "
            let bob = try await f.store.createUser(blankName)
            #expect(bob.displayName == "bob@example.com", "a blank display name falls back to the email")
            #expect(bob.passwordHash == nil)
            let bobJSON = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(bob)) as? [String: Any]
            #expect(bobJSON?["has_password"] as? Bool == false)

            let taken = await expectError(.conflict) {
                try await f.store.createUser(User(id: "alice2", email: "ALICE@example.com ", displayName: "A2", role: .admin, createdAt: Self.t0))
            }
            #expect(taken?.httpStatus == 409)
            #expect(try await f.store.user(id: "alice2") == nil, "a refused user is not stored")
            await expectError(.conflict) {
                try await f.store.createUser(User(id: "alice", email: "other@example.com", displayName: "A", role: .admin, createdAt: Self.t0))
            }
            #expect(try await f.store.user(email: "other@example.com") == nil)
            for bad in ["not-an-email", "a@b", "@example.com", "two words@example.com"] {
                await expectError(.invalidRequest) {
                    try await f.store.createUser(User(id: "bad", email: bad, displayName: "Bad", role: .viewer, createdAt: Self.t0))
                }
            }
            #expect(try await f.store.user(id: "bad") == nil)

            _ = try await f.store.createUser(sampleUser("carol", createdAt: Self.t0))
            #expect(try await f.store.users().map(\.id) == ["carol", "alice", "bob"], "oldest first")
            #expect(try await f.store.users().first { $0.id == "alice" } == alice)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func usersAreUpdatedInPlace(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let bob = try await f.store.createUser(sampleUser("bob", role: .viewer))
            _ = try await f.store.createUser(sampleUser("alice", role: .analyst))
            let login = Date(timeIntervalSince1970: 1_760_000_000.4567)
            let updated = try await f.store.updateUser(id: "bob") { user in
                user.role = .reviewer
                user.isActive = false
                user.passwordHash = "$2b$12$new-hash"
                user.lastLoginAt = login
                user.email = " Robert@Example.com"
                user.displayName = "Robert"
                user.createdAt = Date(timeIntervalSince1970: 0)
            }
            #expect(updated.role == .reviewer)
            #expect(updated.isActive == false)
            #expect(updated.passwordHash == "$2b$12$new-hash")
            #expect(updated.email == "robert@example.com")
            #expect(updated.displayName == "Robert")
            #expect(updated.createdAt == bob.createdAt, "the creation time belongs to the store")
            #expect(updated.lastLoginAt == Date(timeIntervalSince1970: 1_760_000_000.457))
            #expect(try await f.store.user(id: "bob") == updated)
            #expect(try await f.store.user(email: "ROBERT@example.com")?.id == "bob")
            #expect(try await f.store.user(email: "bob@example.com") == nil, "the old email is free again")

            let cleared = try await f.store.updateUser(id: "bob") { $0.passwordHash = nil }
            #expect(cleared.passwordHash == nil)
            #expect(try await f.store.user(id: "bob")?.passwordHash == nil)
            #expect(try await f.store.user(id: "bob")?.role == .reviewer, "fields the change leaves alone are kept")

            await expectError(.conflict) { try await f.store.updateUser(id: "bob") { $0.email = "ALICE@example.com" } }
            #expect(try await f.store.user(id: "bob")?.email == "robert@example.com")
            let same = try await f.store.updateUser(id: "alice") { $0.email = "Alice@Example.com" }
            #expect(same.email == "alice@example.com", "keeping one's own email is not a clash")

            let missing = await expectError(.userNotFound) { try await f.store.updateUser(id: "ghost") { $0.role = .admin } }
            #expect(missing?.httpStatus == 404)
            await expectError(.invalidRequest) { try await f.store.updateUser(id: "bob") { $0.id = "robert" } }
            await expectError(.invalidRequest) { try await f.store.updateUser(id: "bob") { $0.email = "nope" } }
            await expectError(.accessDenied) {
                try await f.store.updateUser(id: "bob") { user in
                    user.role = .admin
                    throw AnalyticsError(.accessDenied, "refused by the change")
                }
            }
            #expect(try await f.store.user(id: "bob") == cleared, "a change that throws stores nothing")
            #expect(try await f.store.user(id: "robert") == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func upstreamIdentitiesLinkOnce(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            try await createSampleUser("u1", in: f.store)
            try await createSampleUser("u2", in: f.store)
            let issuer = "https://accounts.example.com"
            #expect(try await f.store.userID(issuer: issuer, subject: "sub-1") == nil)
            try await f.store.linkIdentity(issuer: issuer, subject: "sub-1", userID: "u1")
            #expect(try await f.store.userID(issuer: issuer, subject: "sub-1") == "u1")
            try await f.store.linkIdentity(issuer: issuer, subject: "sub-1", userID: "u1")
            #expect(try await f.store.userID(issuer: issuer, subject: "sub-1") == "u1", "linking again is a no-op")
            try await f.store.linkIdentity(issuer: issuer, subject: "sub-1", userID: "u2")
            #expect(try await f.store.userID(issuer: issuer, subject: "sub-1") == "u1", "an existing link is not moved")
            #expect(try await f.store.userID(issuer: "https://other.example.com", subject: "sub-1") == nil, "subjects are per issuer")
            try await f.store.linkIdentity(issuer: "https://other.example.com", subject: "sub-1", userID: "u2")
            #expect(try await f.store.userID(issuer: "https://other.example.com", subject: "sub-1") == "u2")
            #expect(try await f.store.userID(issuer: issuer, subject: "sub-2") == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func sessionsAreCreatedReadAndDeleted(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            try await createSampleUser("u1", in: f.store)
            let live = UserSession(hash: "s-live", userID: "u1", csrfToken: "csrf-1", createdAt: storeNow(), expiresAt: storeNow(3_600))
            let other = UserSession(hash: "s-other", userID: "u1", csrfToken: "csrf-2", createdAt: storeNow(), expiresAt: storeNow(7_200))
            try await f.store.createSession(live)
            try await f.store.createSession(other)
            #expect(try await f.store.session(hash: "s-live") == live)
            #expect(try await f.store.session(hash: "s-other") == other)
            #expect(try await f.store.session(hash: "s-ghost") == nil)

            let stale = UserSession(hash: "s-stale", userID: "u1", csrfToken: "c", createdAt: storeNow(-7_200), expiresAt: storeNow(-3_600))
            try await f.store.createSession(stale)
            #expect(try await f.store.session(hash: "s-stale") == nil, "expired sessions are swept as sessions start")
            #expect(try await f.store.session(hash: "s-live") == live, "live sessions are not")

            try await f.store.deleteSession(hash: "s-live")
            #expect(try await f.store.session(hash: "s-live") == nil)
            #expect(try await f.store.session(hash: "s-other") == other)
            try await f.store.deleteSession(hash: "s-ghost")
        }
    }

    // MARK: OAuth clients and codes

    @Test(arguments: StoreBackend.allCases)
    func clientsAreUpsertedAndListed(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let document = OAuthClientRecord(
                id: "https://app.example.com/oauth/client.json",
                kind: .metadataDocument,
                name: "App",
                redirectURIs: ["https://app.example.com/callback", "http://127.0.0.1/callback"],
                clientURI: "https://app.example.com",
                createdAt: Self.t0.addingTimeInterval(10),
                fetchedAt: Self.t0.addingTimeInterval(10)
            )
            let dynamic = OAuthClientRecord(
                id: "dyn-1",
                kind: .dynamic,
                name: "Dynamic",
                redirectURIs: ["http://localhost:3000/cb"],
                tokenEndpointAuthMethod: "client_secret_post",
                secretHash: "secret-sha256",
                createdAt: Self.t0
            )
            try await f.store.saveOAuthClient(document)
            try await f.store.saveOAuthClient(dynamic)
            #expect(try await f.store.oauthClient(id: document.id) == document)
            #expect(try await f.store.oauthClient(id: "dyn-1") == dynamic)
            #expect(try await f.store.oauthClient(id: "ghost") == nil)
            #expect(try await f.store.oauthClients() == [dynamic, document], "oldest first")

            var refetched = document
            refetched.kind = .pinned
            refetched.name = "App 2"
            refetched.redirectURIs = ["https://app.example.com/cb2"]
            refetched.tokenEndpointAuthMethod = "client_secret_basic"
            refetched.secretHash = "other-sha256"
            refetched.clientURI = nil
            refetched.fetchedAt = Self.t0.addingTimeInterval(100)
            refetched.createdAt = Self.t0.addingTimeInterval(100)
            try await f.store.saveOAuthClient(refetched)
            var expected = refetched
            expected.createdAt = document.createdAt
            #expect(try await f.store.oauthClient(id: document.id) == expected, "saving again replaces all but the creation time")
            #expect(try await f.store.oauthClients() == [dynamic, expected])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func authorizationCodesAreRedeemedOnce(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            try await createSampleUser("u1", in: f.store)
            let code = Self.code("c1", userID: "u1")
            try await f.store.createAuthorizationCode(code)
            #expect(try await f.store.authorizationCode(hash: "c1") == code)
            #expect(try await f.store.authorizationCode(hash: "ghost") == nil)

            let at = Self.t0.addingTimeInterval(30)
            let grant = Self.grant("g1", userID: "u1", createdAt: at)
            let tokens = Self.pair(grantID: "g1", prefix: "t1")
            #expect(try await f.store.redeemAuthorizationCode(hash: "c1", at: at, grant: grant, tokens: tokens))
            var used = code
            used.usedAt = at
            used.grantID = "g1"
            #expect(try await f.store.authorizationCode(hash: "c1") == used, "the code remembers when and what it issued")
            #expect(try await f.store.grant(id: "g1") == grant)
            for token in tokens {
                #expect(try await f.store.oauthToken(hash: token.hash) == token)
            }

            let replay = Self.grant("g2", userID: "u1", createdAt: at)
            let replayed = try await f.store.redeemAuthorizationCode(
                hash: "c1",
                at: at.addingTimeInterval(5),
                grant: replay,
                tokens: Self.pair(grantID: "g2", prefix: "t2")
            )
            #expect(replayed == false, "a used code is a replay")
            #expect(try await f.store.grant(id: "g2") == nil, "a replay stores no grant")
            #expect(try await f.store.oauthToken(hash: "t2-access") == nil)
            #expect(try await f.store.oauthToken(hash: "t2-refresh") == nil)
            #expect(try await f.store.authorizationCode(hash: "c1") == used)
            #expect(try await f.store.grants(userID: nil).map(\.id) == ["g1"])

            let unknown = try await f.store.redeemAuthorizationCode(
                hash: "ghost",
                at: at,
                grant: Self.grant("g3", userID: "u1", createdAt: at),
                tokens: []
            )
            #expect(unknown == false)
            #expect(try await f.store.grant(id: "g3") == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func longExpiredCodesAreSwept(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            try await createSampleUser("u1", in: f.store)
            try await f.store.createAuthorizationCode(Self.code("recent", userID: "u1", expiresAt: storeNow(-60)))
            try await f.store.createAuthorizationCode(Self.code("old", userID: "u1", expiresAt: storeNow(-2 * 86_400)))
            try await f.store.createAuthorizationCode(Self.code("fresh", userID: "u1"))
            #expect(try await f.store.authorizationCode(hash: "old") == nil, "codes a day past expiry go")
            #expect(try await f.store.authorizationCode(hash: "recent") != nil, "a just-expired code stays, to be reported as expired")
            #expect(try await f.store.authorizationCode(hash: "fresh") != nil)
        }
    }

    // MARK: Grants and tokens

    @Test(arguments: StoreBackend.allCases)
    func grantsAreListedNewestFirstPerUser(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            try await createSampleUser("u1", in: f.store)
            try await createSampleUser("u2", in: f.store)
            try await Self.issueGrant("g-old", userID: "u1", createdAt: Self.t0, in: f.store)
            try await Self.issueGrant("g-mid", userID: "u2", createdAt: Self.t0.addingTimeInterval(10), in: f.store)
            try await Self.issueGrant("g-new", userID: "u1", createdAt: Self.t0.addingTimeInterval(20), in: f.store)
            try await Self.issueGrant("g-tie-b", userID: "u2", createdAt: Self.t0.addingTimeInterval(5), in: f.store)
            try await Self.issueGrant("g-tie-a", userID: "u2", createdAt: Self.t0.addingTimeInterval(5), in: f.store)
            #expect(try await f.store.grants(userID: nil).map(\.id) == ["g-new", "g-mid", "g-tie-a", "g-tie-b", "g-old"])
            #expect(try await f.store.grants(userID: "u1").map(\.id) == ["g-new", "g-old"])
            #expect(try await f.store.grants(userID: "u2").map(\.id) == ["g-mid", "g-tie-a", "g-tie-b"])
            #expect(try await f.store.grants(userID: "nobody").isEmpty)

            let stored = try #require(try await f.store.grant(id: "g-mid"))
            #expect(stored == Self.grant("g-mid", userID: "u2", createdAt: Self.t0.addingTimeInterval(10)))
            #expect(stored.scopes == ["mcp:query", "mcp:read"])
            #expect(stored.isRevoked == false)
            #expect(try await f.store.grant(id: "ghost") == nil)
            #expect(try await f.store.grants(userID: "u2").first == stored)

            let access = try #require(try await f.store.oauthToken(hash: "g-mid-t-access"))
            #expect(access.kind == .access)
            #expect(access.grantID == "g-mid")
            #expect(access.usedAt == nil && access.successor == nil && access.revokedAt == nil)
            #expect(try await f.store.oauthToken(hash: "g-mid-t-refresh")?.kind == .refresh)
            #expect(try await f.store.oauthToken(hash: "ghost") == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func refreshTokensRotateOnce(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            try await createSampleUser("u1", in: f.store)
            try await Self.issueGrant("g1", userID: "u1", createdAt: Self.t0, tokens: Self.pair(grantID: "g1", prefix: "t1"), in: f.store)
            let successor = Data([0, 1, 2, 0xFF, 0, 0x80, 0x7F])
            let at = Self.t0.addingTimeInterval(60)
            let next = Self.pair(grantID: "g1", prefix: "t2")
            #expect(try await f.store.rotateRefreshToken(hash: "t1-refresh", at: at, successor: successor, successorKeyID: "k1", tokens: next))
            let rotated = try #require(try await f.store.oauthToken(hash: "t1-refresh"))
            #expect(rotated.usedAt == at)
            #expect(rotated.successor == successor, "the sealed pair reads back byte for byte")
            #expect(rotated.successorKeyID == "k1")
            #expect(rotated.revokedAt == nil)
            for token in next {
                #expect(try await f.store.oauthToken(hash: token.hash) == token)
            }

            let again = try await f.store.rotateRefreshToken(
                hash: "t1-refresh",
                at: at.addingTimeInterval(1),
                successor: Data([9]),
                successorKeyID: "k2",
                tokens: Self.pair(grantID: "g1", prefix: "t3")
            )
            #expect(again == false, "a refresh token is single-use")
            #expect(try await f.store.oauthToken(hash: "t3-access") == nil, "a refused rotation stores nothing")
            #expect(try await f.store.oauthToken(hash: "t1-refresh") == rotated, "the first rotation's successor is kept")

            let access = try await f.store.rotateRefreshToken(
                hash: "t2-access",
                at: at,
                successor: successor,
                successorKeyID: "k1",
                tokens: Self.pair(grantID: "g1", prefix: "t4")
            )
            #expect(access == false, "access tokens do not rotate")
            #expect(try await f.store.oauthToken(hash: "t2-access")?.usedAt == nil)
            #expect(try await f.store.oauthToken(hash: "t4-access") == nil)
            #expect(try await f.store.rotateRefreshToken(hash: "ghost", at: at, successor: successor, successorKeyID: "k1", tokens: []) == false)

            try await f.store.revokeOAuthToken(hash: "t2-refresh", at: at)
            let revoked = try await f.store.rotateRefreshToken(
                hash: "t2-refresh",
                at: at.addingTimeInterval(2),
                successor: successor,
                successorKeyID: "k1",
                tokens: Self.pair(grantID: "g1", prefix: "t5")
            )
            #expect(revoked == false, "a revoked refresh token does not rotate")
            #expect(try await f.store.oauthToken(hash: "t5-refresh") == nil)
            #expect(try await f.store.oauthToken(hash: "t2-refresh")?.usedAt == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func revokingAGrantRevokesItsTokens(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            try await createSampleUser("u1", in: f.store)
            try await Self.issueGrant("g1", userID: "u1", createdAt: Self.t0, tokens: Self.pair(grantID: "g1", prefix: "t1"), in: f.store)
            try await Self.issueGrant("g2", userID: "u1", createdAt: Self.t0, tokens: Self.pair(grantID: "g2", prefix: "o1"), in: f.store)
            let rotatedAt = Self.t0.addingTimeInterval(10)
            let rotated = try await f.store.rotateRefreshToken(
                hash: "t1-refresh",
                at: rotatedAt,
                successor: Data([1, 2, 3]),
                successorKeyID: "k1",
                tokens: Self.pair(grantID: "g1", prefix: "t2")
            )
            #expect(rotated)

            let at = Self.t0.addingTimeInterval(100)
            let revoked = try await f.store.revokeGrant(id: "g1", at: at)
            #expect(revoked.id == "g1")
            #expect(revoked.revokedAt == at)
            #expect(revoked.isRevoked)
            #expect(try await f.store.grant(id: "g1") == revoked)
            for hash in ["t1-access", "t1-refresh", "t2-access", "t2-refresh"] {
                let token = try #require(try await f.store.oauthToken(hash: hash))
                #expect(token.revokedAt == at, "\(hash) is revoked with its grant")
                #expect(token.successor == nil, "sealed successors of a revoked family are dropped")
            }
            #expect(try await f.store.oauthToken(hash: "t1-refresh")?.usedAt == rotatedAt)
            #expect(try await f.store.grant(id: "g2")?.revokedAt == nil, "other grants are untouched")
            #expect(try await f.store.oauthToken(hash: "o1-refresh")?.revokedAt == nil)
            let afterRevoke = try await f.store.rotateRefreshToken(
                hash: "t2-refresh",
                at: at,
                successor: Data([4]),
                successorKeyID: "k1",
                tokens: Self.pair(grantID: "g1", prefix: "t3")
            )
            #expect(afterRevoke == false, "a revoked family cannot refresh")

            let again = try await f.store.revokeGrant(id: "g1", at: at.addingTimeInterval(50))
            #expect(again.revokedAt == at, "revoking twice keeps the first time")
            #expect(try await f.store.oauthToken(hash: "t2-access")?.revokedAt == at)

            let earlier = Self.t0.addingTimeInterval(200)
            try await f.store.revokeOAuthToken(hash: "o1-access", at: earlier)
            _ = try await f.store.revokeGrant(id: "g2", at: earlier.addingTimeInterval(10))
            #expect(try await f.store.oauthToken(hash: "o1-access")?.revokedAt == earlier, "a token revoked on its own keeps its time")
            #expect(try await f.store.oauthToken(hash: "o1-refresh")?.revokedAt == earlier.addingTimeInterval(10))

            let missing = await expectError(.grantNotFound) { try await f.store.revokeGrant(id: "ghost", at: at) }
            #expect(missing?.httpStatus == 404)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func singleTokensAreRevokedAndGrantsTouched(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            try await createSampleUser("u1", in: f.store)
            try await Self.issueGrant("g1", userID: "u1", createdAt: Self.t0, tokens: Self.pair(grantID: "g1", prefix: "t1"), in: f.store)
            try await Self.issueGrant("g2", userID: "u1", createdAt: Self.t0, in: f.store)
            let rotated = try await f.store.rotateRefreshToken(
                hash: "t1-refresh",
                at: Self.t0.addingTimeInterval(1),
                successor: Data([7, 7]),
                successorKeyID: "k1",
                tokens: Self.pair(grantID: "g1", prefix: "t2")
            )
            #expect(rotated)

            let at = Self.t0.addingTimeInterval(10)
            try await f.store.revokeOAuthToken(hash: "t1-refresh", at: at)
            let revoked = try #require(try await f.store.oauthToken(hash: "t1-refresh"))
            #expect(revoked.revokedAt == at)
            #expect(revoked.successor == nil, "a revoked token's sealed successor is dropped")
            try await f.store.revokeOAuthToken(hash: "t1-refresh", at: at.addingTimeInterval(10))
            #expect(try await f.store.oauthToken(hash: "t1-refresh")?.revokedAt == at, "revoking twice keeps the first time")
            #expect(try await f.store.oauthToken(hash: "t2-access")?.revokedAt == nil, "one token, not the family")
            #expect(try await f.store.grant(id: "g1")?.revokedAt == nil)
            try await f.store.revokeOAuthToken(hash: "ghost", at: at)

            #expect(try await f.store.grant(id: "g1")?.lastUsedAt == nil)
            try await f.store.touchGrant(id: "g1", at: at)
            #expect(try await f.store.grant(id: "g1")?.lastUsedAt == at)
            try await f.store.touchGrant(id: "g1", at: at.addingTimeInterval(30))
            #expect(try await f.store.grant(id: "g1")?.lastUsedAt == at.addingTimeInterval(30))
            #expect(try await f.store.grant(id: "g2")?.lastUsedAt == nil)
            try await f.store.touchGrant(id: "ghost", at: at)
        }
    }

    // MARK: Concurrency

    /// Two processes racing on single-use values: one wins, the others change nothing.
    @Test(arguments: StoreBackend.allCases)
    func racesOnSingleUseValuesHaveOneWinner(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            try await createSampleUser("u1", in: f.store)
            try await f.store.createAuthorizationCode(Self.code("race", userID: "u1"))
            try await Self.issueGrant("g-base", userID: "u1", createdAt: Self.t0, tokens: Self.pair(grantID: "g-base", prefix: "b"), in: f.store)
            let (redeemed, rotated, created) = try await f.withSecondStore { other in
                async let redeemed = Self.race(f.store, other) { store, index in
                    try await store.redeemAuthorizationCode(
                        hash: "race",
                        at: Self.t0,
                        grant: Self.grant("g\(index)", userID: "u1", createdAt: Self.t0),
                        tokens: Self.pair(grantID: "g\(index)", prefix: "r\(index)")
                    )
                }
                async let rotated = Self.race(f.store, other) { store, index in
                    try await store.rotateRefreshToken(
                        hash: "b-refresh",
                        at: Self.t0,
                        successor: Data([UInt8(index)]),
                        successorKeyID: "k1",
                        tokens: Self.pair(grantID: "g-base", prefix: "n\(index)")
                    )
                }
                async let created = Self.race(f.store, other) { store, index in
                    do {
                        _ = try await store.createUser(
                            User(id: "racer\(index)", email: "Racer@Example.com", displayName: "R", role: .viewer, createdAt: Self.t0)
                        )
                        return true
                    } catch let error as AnalyticsError where error.code == .conflict {
                        return false
                    }
                }
                return try await (redeemed, rotated, created)
            }
            #expect(redeemed.filter { $0 }.count == 1)
            #expect(try await f.store.grants(userID: "u1").count == 2, "the base grant and one redeemed grant")
            #expect(rotated.filter { $0 }.count == 1)
            let winner = try #require(rotated.firstIndex(of: true))
            #expect(try await f.store.oauthToken(hash: "b-refresh")?.successor == Data([UInt8(winner)]))
            #expect(try await f.store.oauthToken(hash: "n\(winner)-refresh") != nil)
            #expect(created.filter { $0 }.count == 1, "one racer gets the email; the others get CONFLICT")
            #expect(try await f.store.users().filter { $0.email == "racer@example.com" }.count == 1)
        }
    }

    /// Concurrent edits of one user from two processes are serialised, so none is lost.
    @Test(arguments: StoreBackend.allCases)
    func concurrentUserUpdatesAreNotLost(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            var user = sampleUser("u1")
            user.displayName = "n"
            _ = try await f.store.createUser(user)
            _ = try await f.withSecondStore { other in
                try await Self.race(f.store, other) { store, index in
                    _ = try await store.updateUser(id: "u1") { $0.displayName += "\(index % 10)" }
                    return true
                }
            }
            #expect(try await f.store.user(id: "u1")?.displayName.count == 1 + Self.racers)
        }
    }

    // MARK: Migration

    /// A store of the previous schema (0003) migrated to 0004: every token becomes a user with the
    /// token's id, and audit columns that named tokens by name now name those users.
    @Test(arguments: StoreBackend.allCases)
    func identityMigrationTurnsTokensIntoUsers(_ backend: StoreBackend) async throws {
        try await withStore(backend, migrate: false) { f in
            let migrations = backend == .sqlite ? SQLiteMigrations.all : PostgresMigrations.all
            let previous = Array(migrations.prefix(3))
            #expect(previous.map(\.name) == ["0001_registry", "0002_profiles", "0003_onboarding"])
            #expect(migrations.dropFirst(3).first?.name == "0004_identity")
            let timestamp = backend == .sqlite ? "TEXT" : "TIMESTAMPTZ"
            var setup = ["CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY NOT NULL, applied_at \(timestamp) NOT NULL)"]
            for migration in previous {
                setup += migration.statements
                setup.append("INSERT INTO schema_migrations (name, applied_at) VALUES ('\(migration.name)', '2025-01-01T00:00:00.000Z')")
            }
            setup.append(
                """
                INSERT INTO api_tokens (id, name, role, token_hash, created_at, last_used_at, revoked_at) VALUES
                    ('tok-ci', 'ci-bot', 'admin', 'hash-ci', '2025-01-02T03:04:05.678Z', NULL, NULL),
                    ('tok-old', 'retired', 'viewer', 'hash-old', '2025-01-01T00:00:00.000Z', NULL, '2025-01-03T00:00:00.000Z'),
                    ('tok-dup1', 'shared', 'analyst', 'hash-dup1', '2025-01-01T00:00:00.000Z', NULL, NULL),
                    ('tok-dup2', 'shared', 'reviewer', 'hash-dup2', '2025-02-01T00:00:00.000Z', NULL, NULL)
                """
            )
            switch backend {
            case .sqlite:
                try await SQLiteScript.run(setup, on: try #require(f.sqlitePath))
            case .postgres:
                try await TestPostgres.execute(setup, on: try ConnectionURL(f.url))
            }
            #expect(try await f.store.appliedMigrations() == previous.map(\.name))

            // Audit rows as the previous server wrote them: actors are token names.
            var dataset = sampleDataset("panel")
            dataset.createdBy = "ci-bot"
            _ = try await f.store.createDataset(dataset, secret: sampleSecret(), actor: "ci-bot")
            _ = try await f.store.updateDataset(id: "panel", actor: "shared", note: nil) { $0.description = "edited" }
            _ = try await f.store.transitionDataset(id: "panel", to: .metadataPending, actor: "ci-bot", note: nil)
            _ = try await f.store.transitionDataset(id: "panel", to: .humanReview, actor: "someone@example.com", note: nil)
            _ = try await f.store.transitionDataset(id: "panel", to: .approved, actor: "shared", note: nil)
            let item = try await f.store.createReviewItem(NewReviewItem(datasetID: "panel", kind: "note", title: "Check"))
            _ = try await f.store.resolveReviewItem(id: item.id, actor: "retired", note: nil)

            #expect(try await f.store.migrate() == ["0004_identity"])

            #expect(try await f.store.users().map(\.id) == ["tok-dup1", "tok-old", "tok-ci", "tok-dup2"])
            let ci = try #require(try await f.store.user(id: "tok-ci"))
            #expect(ci.email == "token-tok-ci@tokens.invalid")
            #expect(ci.displayName == "ci-bot")
            #expect(ci.role == .admin)
            #expect(ci.isActive)
            #expect(ci.passwordHash == nil)
            #expect(ci.createdAt == Date(timeIntervalSince1970: 1_735_787_045.678), "the user is as old as its token")
            #expect(ci.lastLoginAt == nil)
            #expect(try await f.store.user(email: "TOKEN-tok-ci@tokens.invalid") == ci)
            #expect(try await f.store.user(id: "tok-old")?.isActive == false, "a revoked token's user is inactive")
            #expect(try await f.store.user(id: "tok-dup2")?.role == .reviewer)

            let tokens = try await f.store.tokens()
            #expect(tokens.count == 4)
            #expect(tokens.allSatisfy { $0.userID == $0.id }, "every token acts for its own user")
            #expect(try await f.store.token(hash: "hash-ci")?.userID == "tok-ci")

            #expect(try await f.store.dataset(id: "panel")?.createdBy == "tok-ci")
            #expect(try await f.store.transitions(datasetID: "panel").map(\.actor) == ["tok-ci", "someone@example.com", "tok-dup1"])
            #expect(try await f.store.metadataVersions(datasetID: "panel").map(\.author) == ["tok-ci", "tok-dup1"])
            #expect(try await f.store.reviewItem(id: item.id)?.resolvedBy == "tok-old")

            // The migrated store works as a new one does.
            _ = try await f.store.createUser(sampleUser("new-user"))
            let (_, token) = try await issueToken(name: "fresh", role: .viewer, userID: "new-user", in: f.store)
            #expect(try await f.store.tokens().last?.id == token.id)
            #expect(try await f.store.migrate().isEmpty)
        }
    }

    // MARK: Helpers

    /// How many concurrent callers a race starts, split across two stores.
    static let racers = 6

    /// Runs `body` concurrently `racers` times, alternating between two stores (two "processes").
    static func race(
        _ first: any MetadataStore,
        _ second: any MetadataStore,
        _ body: @escaping @Sendable (any MetadataStore, Int) async throws -> Bool
    ) async throws -> [Bool] {
        try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<Self.racers {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask { (index, try await body(store, index)) }
            }
            var results = Array(repeating: false, count: Self.racers)
            for try await (index, result) in group { results[index] = result }
            return results
        }
    }

    static func code(_ hash: String, userID: String, expiresAt: Date = storeNow(120)) -> OAuthCodeRecord {
        OAuthCodeRecord(
            hash: hash,
            clientID: "https://app.example.com/oauth/client.json",
            userID: userID,
            redirectURI: "https://app.example.com/callback",
            codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            scopes: ["mcp:query", "mcp:read"],
            resource: "https://mcp.example.com/mcp",
            createdAt: expiresAt.addingTimeInterval(-120),
            expiresAt: expiresAt
        )
    }

    static func grant(_ id: String, userID: String, createdAt: Date) -> OAuthGrant {
        OAuthGrant(
            id: id,
            userID: userID,
            clientID: "https://app.example.com/oauth/client.json",
            scopes: ["mcp:query", "mcp:read"],
            resource: "https://mcp.example.com/mcp",
            createdAt: createdAt
        )
    }

    /// A fresh access and refresh token of `grantID`, hashed as `<prefix>-access` and `<prefix>-refresh`.
    static func pair(grantID: String, prefix: String) -> [OAuthTokenRecord] {
        [
            OAuthTokenRecord(
                hash: "\(prefix)-access",
                kind: .access,
                grantID: grantID,
                createdAt: Self.t0,
                expiresAt: Self.t0.addingTimeInterval(3_600)
            ),
            OAuthTokenRecord(
                hash: "\(prefix)-refresh",
                kind: .refresh,
                grantID: grantID,
                createdAt: Self.t0,
                expiresAt: Self.t0.addingTimeInterval(30 * 86_400)
            ),
        ]
    }

    /// Stores a grant the only way the server can: by creating and redeeming a code for it. Its
    /// tokens default to `<id>-t-access` and `<id>-t-refresh`.
    static func issueGrant(
        _ id: String,
        userID: String,
        createdAt: Date,
        tokens: [OAuthTokenRecord]? = nil,
        in store: any MetadataStore
    ) async throws {
        try await store.createAuthorizationCode(Self.code("code-\(id)", userID: userID))
        let redeemed = try await store.redeemAuthorizationCode(
            hash: "code-\(id)",
            at: createdAt,
            grant: Self.grant(id, userID: userID, createdAt: createdAt),
            tokens: tokens ?? Self.pair(grantID: id, prefix: "\(id)-t")
        )
        #expect(redeemed)
    }
}
