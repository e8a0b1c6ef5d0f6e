import AnalyticsCore
import GRDB
import Logging
import PostgresNIO

/// Turns driver errors into `AnalyticsError`s that are safe to show.
///
/// Driver errors can carry SQL, bound values and server messages; they are logged here (code and
/// server message only, never bound values) and replaced by a coded error without driver text.
enum StoreFailure {
    /// A stored row that cannot be decoded (a bug or manual tampering, not a client error).
    static func corrupt(_ what: String) -> AnalyticsError {
        AnalyticsError(
            .internalError,
            "A stored \(what) could not be read.",
            hint: "The metadata store holds a malformed row; check the server log and the store's schema version."
        )
    }

    static func unavailable(_ operation: String) -> AnalyticsError {
        AnalyticsError(
            .storeUnavailable,
            "The metadata store could not complete '\(operation)'.",
            hint: "Check that the store is reachable and migrated (`mcp-analytics migrate`); details are in the server log."
        )
    }

    /// Passes `AnalyticsError` and cancellation through; logs anything else and converts it.
    static func map(_ error: any Error, operation: String, logger: Logger) -> any Error {
        if error is AnalyticsError || error is CancellationError { return error }
        var metadata: Logger.Metadata = ["mcpa.store.operation": "\(operation)"]
        if let error = error as? DatabaseError {
            metadata["mcpa.store.sqlite_code"] = "\(error.extendedResultCode.rawValue)"
            metadata["mcpa.store.sqlite_message"] = "\(error.message ?? "")"
        } else if let error = error as? PSQLError {
            metadata["mcpa.store.pg_error"] = "\(error.code)"
            if let state = error.serverInfo?[.sqlState] { metadata["mcpa.store.pg_sqlstate"] = "\(state)" }
            if let message = error.serverInfo?[.message] { metadata["mcpa.store.pg_message"] = "\(message)" }
        } else {
            metadata["mcpa.store.error_type"] = "\(String(describing: type(of: error)))"
        }
        logger.error("Metadata store operation failed.", metadata: metadata)
        return self.unavailable(operation)
    }

    /// Whether `error` is a unique-key violation (used to report duplicates with a fitting code).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let error = error as? DatabaseError {
            return error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
                || error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
        }
        if let error = error as? PSQLError {
            return error.serverInfo?[.sqlState] == "23505"
        }
        return false
    }

    /// Whether `error` is a foreign-key violation (a row that points at a missing dataset).
    static func isForeignKeyViolation(_ error: any Error) -> Bool {
        if let error = error as? DatabaseError {
            return error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY
        }
        if let error = error as? PSQLError {
            return error.serverInfo?[.sqlState] == "23503"
        }
        return false
    }
}
