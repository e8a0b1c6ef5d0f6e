import AnalyticsCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    public func createUser(_ user: User) async throws -> User {
        let user = try IdentityRules.prepareNew(user)
        return try await self.write("create user") { db in
            let taken = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE email = ?)", arguments: [user.email])
            guard taken != true else { throw IdentityRules.emailTaken(user.email) }
            let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?)", arguments: [user.id])
            guard exists != true else { throw IdentityRules.userExists(user.id) }
            try Self.insert(user, into: db)
            return user
        }
    }

    public func user(id: String) async throws -> User? {
        try await self.read("read user") { db in
            try Row.fetchOne(db, sql: "SELECT \(StoreRecords.userColumns) FROM users WHERE id = ?", arguments: [id])
                .map { try StoreRecords.user(SQLiteRow($0)) }
        }
    }

    public func user(email: String) async throws -> User? {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        return try await self.read("read user") { db in
            try Row.fetchOne(db, sql: "SELECT \(StoreRecords.userColumns) FROM users WHERE email = ?", arguments: [email])
                .map { try StoreRecords.user(SQLiteRow($0)) }
        }
    }

    public func users() async throws -> [User] {
        try await self.read("list users") { db in
            try Row.fetchAll(db, sql: "SELECT \(StoreRecords.userColumns) FROM users ORDER BY created_at, id")
                .map { try StoreRecords.user(SQLiteRow($0)) }
        }
    }

    public func updateUser(id: String, _ change: @Sendable (inout User) throws -> Void) async throws -> User {
        try await self.write("update user") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(StoreRecords.userColumns) FROM users WHERE id = ?", arguments: [id])
            else { throw IdentityRules.userNotFound(id) }
            let updated = try IdentityRules.applyUpdate(try StoreRecords.user(SQLiteRow(row)), change)
            let taken = try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM users WHERE email = ? AND id <> ?)",
                arguments: [updated.email, id]
            )
            guard taken != true else { throw IdentityRules.emailTaken(updated.email) }
            try db.execute(
                sql: """
                    UPDATE users SET email = ?, display_name = ?, role = ?, active = ?, password_hash = ?, last_login_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    updated.email, updated.displayName, updated.role.rawValue, updated.isActive, updated.passwordHash,
                    updated.lastLoginAt?.sqliteText, id,
                ]
            )
            return updated
        }
    }

    public func userID(issuer: String, subject: String) async throws -> String? {
        try await self.read("read identity") { db in
            try String.fetchOne(
                db,
                sql: "SELECT user_id FROM user_identities WHERE issuer = ? AND subject = ?",
                arguments: [issuer, subject]
            )
        }
    }

    public func linkIdentity(issuer: String, subject: String, userID: String) async throws {
        try await self.write("link identity") { db in
            try db.execute(
                sql: "INSERT INTO user_identities (issuer, subject, user_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [issuer, subject, userID, StoreTimestamp.now().sqliteText]
            )
        }
    }

    public func createSession(_ session: UserSession) async throws {
        try await self.write("create session") { db in
            try db.execute(
                sql: "INSERT INTO user_sessions (\(StoreRecords.sessionColumns)) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    session.hash, session.userID, session.csrfToken, session.createdAt.sqliteText, session.expiresAt.sqliteText,
                ]
            )
            // Expired sessions are swept as new ones start, so the table stays small without a job.
            try db.execute(sql: "DELETE FROM user_sessions WHERE expires_at < ?", arguments: [StoreTimestamp.now().sqliteText])
        }
    }

    public func session(hash: String) async throws -> UserSession? {
        try await self.read("read session") { db in
            try Row.fetchOne(db, sql: "SELECT \(StoreRecords.sessionColumns) FROM user_sessions WHERE session_hash = ?", arguments: [hash])
                .map { try StoreRecords.session(SQLiteRow($0)) }
        }
    }

    public func deleteSession(hash: String) async throws {
        try await self.write("delete session") { db in
            try db.execute(sql: "DELETE FROM user_sessions WHERE session_hash = ?", arguments: [hash])
        }
    }

    static func insert(_ user: User, into db: Database) throws {
        try db.execute(
            sql: "INSERT INTO users (\(StoreRecords.userColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                user.id, user.email, user.displayName, user.role.rawValue, user.isActive, user.passwordHash,
                user.createdAt.sqliteText, user.lastLoginAt?.sqliteText,
            ]
        )
    }
}
