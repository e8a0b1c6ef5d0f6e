import AnalyticsCore
import Logging
import PostgresNIO

/// Converts driver and server errors into `AnalyticsError`s a client may see.
///
/// What reaches the client:
/// - statement timeout (SQLSTATE 57014) → `QUERY_TIMEOUT`;
/// - a write refused by the read-only transaction (25006) → `SQL_NOT_READ_ONLY`;
/// - connection trouble (no connection in time, refused/closed sockets, class 08, 57P01–57P03,
///   53300, authentication 28xxx, database gone 3D000) → `DATASET_UNAVAILABLE`, without the server's
///   text (which can name hosts and users);
/// - errors in the SQL itself (syntax, unknown column, bad cast, division by zero, … — classes 0A,
///   21, 22, 42 and similar) → `QUERY_FAILED` *with* PostgreSQL's message, hint and error position,
///   because that is what lets an LLM correct its query; these texts describe the statement, never
///   the connection;
/// - anything else → `QUERY_FAILED` naming only the SQLSTATE.
///
/// The raw error is always logged (at `info`, with the SQLSTATE) for operators.
struct PostgresErrorTranslator: Sendable {
    let datasetID: String
    let logger: Logger

    /// SQLSTATE classes whose message describes the statement and is safe and useful to show.
    static let statementClasses: Set<Substring> = ["0A", "21", "22", "23", "25", "2B", "34", "3F", "40", "42", "44", "54", "55", "P0"]

    func translate(_ error: any Error, timeout: Duration, positionOffset: Int = 0) -> AnalyticsError {
        switch error {
        case let error as AnalyticsError:
            return error
        case let interrupted as PostgresStatementWatch.Interrupted:
            switch interrupted.reason {
            case .deadline: return self.timeout(timeout)
            case .cancelled: return self.cancelled()
            }
        case is CancellationError:
            return self.cancelled()
        case is PostgresConnector.LeaseTimeout, is ConcurrencyGate.Closed:
            return self.unavailable(error is ConcurrencyGate.Closed ? "its connector was closed" : "no connection could be opened in time")
        case let decoding as PostgresValueDecoder.Malformed:
            self.logger.error("could not decode a value", metadata: ["mcpa.dataset": "\(self.datasetID)", "mcpa.type": "\(decoding.typeName)"])
            return AnalyticsError(
                .queryFailed,
                "A value of type \(decoding.typeName) could not be read.",
                hint: "Cast the column to text (column::text) in the query."
            )
        case let error as PSQLError:
            return self.translate(error, timeout: timeout, positionOffset: positionOffset)
        default:
            // A pool lease abandoned because the caller went away is not the database's fault.
            if Task.isCancelled { return self.cancelled() }
            self.logger.info("dataset connection failed", metadata: ["mcpa.dataset": "\(self.datasetID)", "mcpa.error": "\(type(of: error))"])
            return self.unavailable("the database could not be reached")
        }
    }

    private func translate(_ error: PSQLError, timeout: Duration, positionOffset: Int) -> AnalyticsError {
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else {
            if error.code == .queryCancelled || Task.isCancelled { return self.cancelled() }
            if error.code == .tooManyParameters { return AnalyticsError.invalidRequest("Too many bind parameters.") }
            self.logger.info(
                "dataset connection failed",
                metadata: ["mcpa.dataset": "\(self.datasetID)", "mcpa.error.code": "\(error.code)"]
            )
            return self.unavailable("the database could not be reached")
        }
        let message = error.serverInfo?[.message] ?? ""
        self.logger.info(
            "dataset query failed",
            metadata: ["mcpa.dataset": "\(self.datasetID)", "mcpa.sqlstate": "\(state)", "mcpa.error.message": "\(message)"]
        )
        let stateClass = state.prefix(2)
        switch state {
        case "57014":
            return self.timeout(timeout)
        case "25006":
            return AnalyticsError(
                .sqlNotReadOnly,
                "The database refused the statement because queries run in a read-only transaction: \(message)",
                hint: "Only read-only SELECT statements can run; rewrite the query as a SELECT.",
                details: ["sqlstate": .string(state)]
            )
        case "57P01", "57P02", "57P03", "53300", "3D000":
            return self.unavailable("the database is not accepting connections (SQLSTATE \(state))")
        default:
            break
        }
        if stateClass == "08" || stateClass == "28" {
            return self.unavailable("the database refused the connection (SQLSTATE \(state))")
        }
        guard Self.statementClasses.contains(stateClass) else {
            return AnalyticsError(
                .queryFailed,
                "The database could not run the query (SQLSTATE \(state)).",
                hint: "Retry; if it persists, simplify the query or ask an operator to check the database.",
                details: ["sqlstate": .string(state)]
            )
        }
        var details: [String: JSONValue] = ["sqlstate": .string(state)]
        var text = message
        if let raw = error.serverInfo?[.position], let position = Int(raw), position - positionOffset > 0 {
            details["position"] = .int(Int64(position - positionOffset))
            text += " (at character \(position - positionOffset))"
        }
        if let detail = error.serverInfo?[.detail], !detail.isEmpty { text += ". " + detail }
        return AnalyticsError(
            .queryFailed,
            "The query failed: \(text)",
            hint: error.serverInfo?[.hint] ?? "Fix the SQL and retry.",
            details: .object(details)
        )
    }

    func timeout(_ timeout: Duration) -> AnalyticsError {
        AnalyticsError(
            .queryTimeout,
            "The query ran longer than its \(timeout.shortText) limit and was stopped.",
            hint: "Narrow it down (filters, aggregation, fewer joins) so it finishes in time."
        )
    }

    func cancelled() -> AnalyticsError {
        AnalyticsError(.queryCancelled, "The query was cancelled before it finished.", hint: "Run it again if the answer is still needed.")
    }

    func unavailable(_ reason: String) -> AnalyticsError {
        AnalyticsError(
            .datasetUnavailable,
            "Dataset '\(self.datasetID)' is unavailable: \(reason).",
            hint: "Retry shortly; if it persists, an operator should check the dataset's database."
        )
    }
}
