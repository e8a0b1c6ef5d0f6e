import AnalyticsCore
import PostgresNIO

extension DemoPanelLoader {
    /// A failed connect as `CONNECTION_FAILED`, saying which kind of failure without echoing the
    /// server's text (the caller has logged it) and never the password.
    static func connectionFailed(_ error: any Error, url: ConnectionURL) -> AnalyticsError {
        let target = "\(url.host ?? "?"):\(url.port ?? 5432)/\(url.database ?? url.user ?? "")"
        let state = (error as? PSQLError)?.serverInfo?[.sqlState]
        let reason: String
        let hint: String
        switch state {
        case "28P01", "28000":
            reason = "the server refused the login for user '\(url.user ?? "")'"
            hint = "Check the user name and password in the URL."
        case "3D000":
            reason = "the database does not exist"
            hint = "Create the database first (CREATE DATABASE …) or name an existing one in the URL."
        case .some(let code):
            reason = "the server refused the connection (SQLSTATE \(code))"
            hint = "Check the URL and the server's pg_hba.conf; the server log has the details."
        case nil:
            reason = "the server is unreachable"
            hint = "Check the host and port, and that PostgreSQL is running and accepts TCP connections."
        }
        return AnalyticsError(.connectionFailed, "Cannot connect to PostgreSQL at \(target): \(reason).", hint: hint)
    }

    /// A failed load step as `DEMO_DATA_FAILED`, with the SQLSTATE when the server gave one.
    static func loadFailed(_ error: any Error) -> AnalyticsError {
        let state = (error as? PSQLError)?.serverInfo?[.sqlState]
        switch state {
        case "42501":
            return AnalyticsError(
                .demoDataFailed,
                "The login may not create the demo tables here (SQLSTATE 42501, insufficient privilege).",
                hint: "Use the URL of the database owner or a superuser."
            )
        case "2BP01":
            return AnalyticsError(
                .demoDataFailed,
                "Other objects depend on the existing demo tables (SQLSTATE 2BP01), so they cannot be replaced.",
                hint: "Drop the dependent views or constraints first, or load into another database."
            )
        case .some(let code):
            return AnalyticsError(
                .demoDataFailed,
                "Loading the demo panel failed (SQLSTATE \(code)); nothing was changed.",
                hint: "The server log has the details."
            )
        case nil:
            return AnalyticsError(
                .demoDataFailed,
                "Loading the demo panel failed without a server error (e.g. the connection was lost); nothing was changed.",
                hint: "Check that the server is up and retry."
            )
        }
    }
}
