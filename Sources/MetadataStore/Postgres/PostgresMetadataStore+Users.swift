import AnalyticsCore
import Foundation
import PostgresNIO

extension PostgresMetadataStore {
    public func createUser(_ user: User) async throws -> User {
        let user = try IdentityRules.prepareNew(user)
        return try await self.transaction("create user") { connection in
            // `DO NOTHING` without a target covers both the id and the email key, and waits for a
            // concurrent insert of the same key to settle, so a race never surfaces a raw violation.
            let inserted = try await connection.firstRow(
                """
                INSERT INTO users (\(unescaped: StoreRecords.userColumns))
                VALUES (\(user.id), \(user.email), \(user.displayName), \(user.role.rawValue), \(user.isActive), \(user.passwordHash),
                    \(user.createdAt), \(StoreTimestamp.normalize(user.lastLoginAt)))
                ON CONFLICT DO NOTHING
                RETURNING id
                """,
                logger: self.logger
            )
            guard inserted == nil else { return user }
            let sameEmail = try await connection.firstRow("SELECT id FROM users WHERE email = \(user.email)", logger: self.logger)
            if sameEmail != nil { throw IdentityRules.emailTaken(user.email) }
            throw IdentityRules.userExists(user.id)
        }
    }

    public func user(id: String) async throws -> User? {
        try await self.connection("read user") { connection in
            try await connection.firstRow(
                "SELECT \(unescaped: StoreRecords.userColumns) FROM users WHERE id = \(id)",
                logger: self.logger
            ).map { try StoreRecords.user($0) }
        }
    }

    public func user(email: String) async throws -> User? {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        return try await self.connection("read user") { connection in
            try await connection.firstRow(
                "SELECT \(unescaped: StoreRecords.userColumns) FROM users WHERE email = \(email)",
                logger: self.logger
            ).map { try StoreRecords.user($0) }
        }
    }

    public func users() async throws -> [User] {
        try await self.connection("list users") { connection in
            try await connection.rows(
                "SELECT \(unescaped: StoreRecords.userColumns) FROM users ORDER BY created_at, id",
                logger: self.logger
            ).map { try StoreRecords.user($0) }
        }
    }

    public func updateUser(id: String, _ change: @Sendable (inout User) throws -> Void) async throws -> User {
        try await withoutActuallyEscaping(change) { change in
            try await self.update(userID: id, change)
        }
    }

    private func update(userID id: String, _ change: @escaping @Sendable (inout User) throws -> Void) async throws -> User {
        try await self.transaction("update user") { connection in
            // The row lock serialises concurrent edits of one user (read-modify-write).
            guard
                let row = try await connection.firstRow(
                    "SELECT \(unescaped: StoreRecords.userColumns) FROM users WHERE id = \(id) FOR UPDATE",
                    logger: self.logger
                )
            else { throw IdentityRules.userNotFound(id) }
            let updated = try IdentityRules.applyUpdate(try StoreRecords.user(row), change)
            let taken = try await connection.firstRow(
                "SELECT id FROM users WHERE email = \(updated.email) AND id <> \(id)",
                logger: self.logger
            )
            guard taken == nil else { throw IdentityRules.emailTaken(updated.email) }
            do {
                _ = try await connection.rows(
                    """
                    UPDATE users SET email = \(updated.email), display_name = \(updated.displayName), role = \(updated.role.rawValue),
                        active = \(updated.isActive), password_hash = \(updated.passwordHash), last_login_at = \(updated.lastLoginAt)
                    WHERE id = \(id)
                    """,
                    logger: self.logger
                )
            } catch let error where StoreFailure.isUniqueViolation(error) {
                // Another transaction took the email between the check and the update; the id does
                // not change, so the email is the only key this statement can violate.
                throw IdentityRules.emailTaken(updated.email)
            }
            return updated
        }
    }

    public func userID(issuer: String, subject: String) async throws -> String? {
        try await self.connection("read identity") { connection in
            try await connection.firstRow(
                "SELECT user_id FROM user_identities WHERE issuer = \(issuer) AND subject = \(subject)",
                logger: self.logger
            ).map { try $0.string("user_id") }
        }
    }

    public func linkIdentity(issuer: String, subject: String, userID: String) async throws {
        try await self.transaction("link identity") { connection in
            _ = try await connection.query(
                """
                INSERT INTO user_identities (issuer, subject, user_id, created_at)
                VALUES (\(issuer), \(subject), \(userID), \(StoreTimestamp.now()))
                ON CONFLICT DO NOTHING
                """,
                logger: self.logger
            )
        }
    }

    public func createSession(_ session: UserSession) async throws {
        try await self.transaction("create session") { connection in
            try await connection.query(
                """
                INSERT INTO user_sessions (\(unescaped: StoreRecords.sessionColumns))
                VALUES (\(session.hash), \(session.userID), \(session.csrfToken), \(StoreTimestamp.normalize(session.createdAt)),
                    \(StoreTimestamp.normalize(session.expiresAt)))
                """,
                logger: self.logger
            )
            // Expired sessions are swept as new ones start, so the table stays small without a job.
            try await connection.query("DELETE FROM user_sessions WHERE expires_at < \(StoreTimestamp.now())", logger: self.logger)
        }
    }

    public func session(hash: String) async throws -> UserSession? {
        try await self.connection("read session") { connection in
            try await connection.firstRow(
                "SELECT \(unescaped: StoreRecords.sessionColumns) FROM user_sessions WHERE session_hash = \(hash)",
                logger: self.logger
            ).map { try StoreRecords.session($0) }
        }
    }

    public func deleteSession(hash: String) async throws {
        try await self.transaction("delete session") { connection in
            _ = try await connection.query("DELETE FROM user_sessions WHERE session_hash = \(hash)", logger: self.logger)
        }
    }
}
