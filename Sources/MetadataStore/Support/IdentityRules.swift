import AnalyticsCore
import Foundation

/// Checks and errors the identity tables share across both backends.
enum IdentityRules {
    static func userNotFound(_ id: String) -> AnalyticsError {
        AnalyticsError(.userNotFound, "No user '\(id)'.", hint: "List users with `mcp-analytics users list`.")
    }

    static func emailTaken(_ email: String) -> AnalyticsError {
        AnalyticsError(.conflict, "A user with email '\(email)' already exists.", hint: "Use another email, or change the existing user.")
    }

    /// A new user whose id is already stored (ids are random, so this is a caller bug or a retry).
    static func userExists(_ id: String) -> AnalyticsError {
        AnalyticsError(.conflict, "A user with id '\(id)' already exists.", hint: "Create the user with a new id.")
    }

    static func grantNotFound(_ id: String) -> AnalyticsError {
        AnalyticsError(.grantNotFound, "No OAuth grant '\(id)'.", hint: "List grants with GET /api/oauth/grants.")
    }

    /// Normalises a new user: lowercased, trimmed email; a blank display name falls back to the email.
    static func prepareNew(_ user: User) throws -> User {
        var user = user
        user.email = user.email.trimmingCharacters(in: .whitespaces).lowercased()
        user.displayName = user.displayName.trimmingCharacters(in: .whitespaces)
        guard Self.isPlausibleEmail(user.email) else {
            throw AnalyticsError.invalidRequest("'\(user.email)' is not an email address.", hint: "Use name@domain.")
        }
        if user.displayName.isEmpty { user.displayName = user.email }
        user.createdAt = StoreTimestamp.normalize(user.createdAt)
        user.lastLoginAt = StoreTimestamp.normalize(user.lastLoginAt)
        return user
    }

    /// Applies `change`, keeping what the store owns.
    static func applyUpdate(_ current: User, _ change: (inout User) throws -> Void) throws -> User {
        var updated = current
        try change(&updated)
        guard updated.id == current.id else {
            throw AnalyticsError.invalidRequest("A user's id cannot change.")
        }
        updated.createdAt = current.createdAt
        return try Self.prepareNew(updated)
    }

    static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !email.contains(where: \.isWhitespace)
            && email.count <= 254
    }
}
