import AnalyticsCore
import PostgresNIO

extension PostgresConnector {
    enum ExecutionMode {
        /// `SELECT * FROM (<sql>) LIMIT maxRows + 1` as one extended-protocol query in the read-only
        /// session: one round trip, planned as the statement it is (parallel workers included), and
        /// the server stops at the cap by itself. What cannot be wrapped (`EXPLAIN`, anything that
        /// is not a query) falls back to ``transaction``.
        case capped
        /// The statement as written in the session, streamed and cut at `maxRows + 1`, then stopped
        /// server-side: for the connector's own statements (`EXPLAIN` for an estimate, the health check).
        case direct
        /// `BEGIN READ ONLY`, the statement as written (cut like ``direct``), `ROLLBACK`: for statements
        /// that could not be wrapped, so that their own error, with positions in the caller's text, is
        /// what the caller sees, and whatever they might change is rolled back.
        case transaction
    }

    /// What precedes the caller's statement in ``ExecutionMode/capped`` (error positions shift by its length).
    static let cappedPrefix = "SELECT * FROM (\n"

    static func capped(_ sql: String, maxRows: Int) -> String {
        // The newline before the parenthesis ends a trailing `--` comment of the caller's.
        Self.cappedPrefix + sql + "\n) AS mcpa_rows LIMIT \(maxRows + 1)"
    }

    /// Time the client-side watch grants beyond the statement timeout before stopping a statement
    /// itself, when the session's `statement_timeout` is the caller's (the server normally fires first).
    static let deadlineGrace: Duration = .seconds(2)

    /// The wrapped statement was refused as a syntax error: the caller's statement is no plain query.
    struct CappedRefused: Error {}

    /// An error raised by the wrapped statement (positions are shifted by ``cappedPrefix``).
    struct CappedFailed: Error {
        var underlying: any Error
    }

    func execute(
        _ sql: String,
        binds: [JSONValue],
        maxRows: Int,
        timeout: Duration,
        mode: ExecutionMode,
        leaseTimeout: Duration? = nil
    ) async throws -> RawRows {
        guard maxRows >= 0 else { throw AnalyticsError.invalidRequest("maxRows must not be negative, got \(maxRows).") }
        guard timeout > .zero else { throw AnalyticsError.invalidRequest("The query timeout must be positive.") }
        let bindings = try PostgresBindEncoder.bindings(binds)
        do {
            try await self.gate.acquire()
        } catch {
            throw self.translator.translate(error, timeout: timeout)
        }
        defer { self.gate.release() }
        do {
            return try await self.withLease(timeout: leaseTimeout ?? self.connectTimeout) { connection in
                let run = PostgresStatementRunner(connection: connection, logger: self.logger)
                let session = try await self.prepareSession(run, timeout: timeout)
                let deadline = self.deadline(timeout: timeout, session: session)
                switch mode {
                case .capped:
                    do {
                        return try await self.watch.run(on: connection, backendPID: session.backendPID, deadline: deadline) { _ in
                            try await self.cappedStatement(run, sql, bindings, maxRows: maxRows)
                        }
                    } catch is CappedRefused {
                        return try await self.transaction(run, session, deadline, sql, bindings, maxRows: maxRows)
                    }
                case .direct:
                    return try await self.watch.run(on: connection, backendPID: session.backendPID, deadline: deadline) { signal in
                        try await self.directStatement(run, sql, bindings, maxRows: maxRows, signal: signal)
                    }
                case .transaction:
                    return try await self.transaction(run, session, deadline, sql, bindings, maxRows: maxRows)
                }
            }
        } catch let error as CappedFailed {
            throw self.translator.translate(error.underlying, timeout: timeout, positionOffset: Self.cappedPrefix.count)
        } catch {
            throw self.translator.translate(error, timeout: timeout)
        }
    }

    /// The session's process id, with its `statement_timeout` raised to `timeout` when it is lower.
    /// Costs a round trip only on a connection's first lease or when a call needs a longer timeout.
    private func prepareSession(_ run: PostgresStatementRunner, timeout: Duration) async throws -> PostgresSessions.Session {
        let wanted = max(1, timeout.wholeMilliseconds)
        if let known = self.sessions.session(of: run.connection), known.statementTimeoutMs >= wanted { return known }
        let milliseconds = max(wanted, Int64(self.settings.statementTimeoutMs))
        let rows = try await run.rows(
            "SELECT pg_catalog.pg_backend_pid(), pg_catalog.set_config('statement_timeout', \(String(milliseconds)), false)"
        )
        guard let row = rows.first else { throw AnalyticsError.internalError() }
        let (pid, _) = try row.decode((Int32, String).self)
        let session = PostgresSessions.Session(backendPID: pid, statementTimeoutMs: milliseconds)
        self.sessions.remember(session, for: run.connection)
        return session
    }

    /// When the client stops waiting: just after the server's own timeout when the session's is the
    /// caller's, exactly at the caller's timeout when the session allows more.
    private func deadline(timeout: Duration, session: PostgresSessions.Session) -> ContinuousClock.Instant {
        let grace = session.statementTimeoutMs == max(1, timeout.wholeMilliseconds) ? Self.deadlineGrace : .zero
        return ContinuousClock.now + timeout + grace
    }

    private func cappedStatement(
        _ run: PostgresStatementRunner,
        _ sql: String,
        _ bindings: PostgresBindings,
        maxRows: Int
    ) async throws -> RawRows {
        let fetched: (columns: [PostgresColumn], rows: [PostgresRow])
        do {
            fetched = try await run.allRows(PostgresQuery(unsafeSQL: Self.capped(sql, maxRows: maxRows), binds: bindings))
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42601" {
            throw CappedRefused()
        } catch let error as PSQLError {
            throw CappedFailed(underlying: error)
        }
        let truncated = fetched.rows.count > maxRows
        let decoded = try await PostgresResultDecoder(catalog: self.catalog)
            .decode(columns: fetched.columns, rows: Array(fetched.rows.prefix(maxRows)), using: run)
        return RawRows(columns: decoded.columns, rows: decoded.rows, truncated: truncated)
    }

    private func directStatement(
        _ run: PostgresStatementRunner,
        _ sql: String,
        _ bindings: PostgresBindings,
        maxRows: Int,
        signal: PostgresStatementWatch.Signal
    ) async throws -> RawRows {
        let fetched = try await run.firstRows(PostgresQuery(unsafeSQL: sql, binds: bindings), limit: maxRows)
        if fetched.more { await signal.stopStatement() }
        let decoded = try await PostgresResultDecoder(catalog: self.catalog).decode(columns: fetched.columns, rows: fetched.rows, using: run)
        return RawRows(columns: decoded.columns, rows: decoded.rows, truncated: fetched.more)
    }

    /// One read-only transaction around a statement run as written; always rolled back.
    private func transaction(
        _ run: PostgresStatementRunner,
        _ session: PostgresSessions.Session,
        _ deadline: ContinuousClock.Instant,
        _ sql: String,
        _ bindings: PostgresBindings,
        maxRows: Int
    ) async throws -> RawRows {
        // Everything after BEGIN — BEGIN included, as the caller may leave while it runs — ends in
        // ROLLBACK, so a connection never returns to the pool inside a transaction.
        do {
            try await run.execute("BEGIN TRANSACTION READ ONLY")
            // A first statement fixes the transaction's read-only mode: `SET TRANSACTION READ WRITE`
            // is refused once a query has run.
            try await run.execute("SELECT pg_catalog.set_config('statement_timeout', \(String(session.statementTimeoutMs)), true)")
            let result = try await self.watch.run(on: run.connection, backendPID: session.backendPID, deadline: deadline) { signal in
                try await self.directStatement(run, sql, bindings, maxRows: maxRows, signal: signal)
            }
            await self.rollback(run)
            return result
        } catch {
            await self.rollback(run)
            throw error
        }
    }

    /// Ends the transaction; a connection that cannot roll back is closed so the pool replaces it.
    /// Future-based on purpose: it must complete even when the calling task was cancelled.
    private func rollback(_ run: PostgresStatementRunner) async {
        do {
            _ = try await run.connection.query("ROLLBACK", logger: self.logger).get()
        } catch {
            try? await run.connection.close().get()
        }
    }

    /// Leases a pooled connection for `body`, giving up with ``LeaseTimeout`` when none can be had
    /// within `timeout` (the database is down or unreachable).
    func withLease<T: Sendable>(
        timeout: Duration,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let leased = LockedBox(false)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await self.running.wait()
                try Task.checkCancellation()
                return try await self.client.withConnection { connection in
                    leased.set(true)
                    return try await body(connection)
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                if !leased.value { throw LeaseTimeout() }
                return nil
            }
            while let next = try await group.next() {
                if let next {
                    group.cancelAll()
                    return next
                }
            }
            throw CancellationError()
        }
    }
}
