import Logging
import PostgresNIO

/// Runs statements on one leased connection and reads their rows to the end.
///
/// Reading to the end matters: a statement's errors arrive with its rows, and the connection is
/// only free for the next statement once they have been consumed.
struct PostgresStatementRunner: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    /// All rows of a statement that returns few (internal bookkeeping statements).
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        let sequence = try await self.connection.query(query, logger: self.logger)
        var rows: [PostgresRow] = []
        for try await row in sequence { rows.append(row) }
        try Task.checkCancellation()
        return rows
    }

    /// Every row of a statement that bounds its own result (a `LIMIT`), with the columns.
    func allRows(_ query: PostgresQuery) async throws -> (columns: [PostgresColumn], rows: [PostgresRow]) {
        let sequence = try await self.connection.query(query, logger: self.logger)
        var rows: [PostgresRow] = []
        for try await row in sequence { rows.append(row) }
        try Task.checkCancellation()
        return (Array(sequence.columns), rows)
    }

    func execute(_ query: PostgresQuery) async throws {
        _ = try await self.rows(query)
    }

    /// Reads at most `limit` rows and reports whether the statement had more.
    ///
    /// When it has more, the remaining rows are left unread: the caller must stop the statement
    /// server-side (see ``PostgresStatementWatch``) rather than let the driver drain them.
    func firstRows(
        _ query: PostgresQuery,
        limit: Int
    ) async throws -> (columns: [PostgresColumn], rows: [PostgresRow], more: Bool) {
        let sequence = try await self.connection.query(query, logger: self.logger)
        let columns = Array(sequence.columns)
        var rows: [PostgresRow] = []
        var more = false
        var iterator = sequence.makeAsyncIterator()
        while let row = try await iterator.next() {
            if rows.count == limit {
                more = true
                break
            }
            rows.append(row)
        }
        try Task.checkCancellation()
        return (columns, rows, more)
    }
}
