import AnalyticsCore
import PostgresNIO

extension PostgresConnector {
    enum ExecutionMode {
        /// `DECLARE … NO SCROLL CURSOR FOR <sql>` then `FETCH FORWARD maxRows+1`: the executor
        /// produces only the rows fetched (cursors also plan for a fast start and never go parallel).
        case cursor
        /// The statement itself, streamed and cut at `maxRows + 1`, then stopped server-side. For
        /// statements a cursor cannot wrap, such as `EXPLAIN`.
        case direct
    }

    /// Name of the cursor the connector declares; the statement runs inside it.
    static let cursorName = "mcpa_cursor"
    static let cursorPrefix = "DECLARE \(cursorName) NO SCROLL CURSOR FOR "

    /// Time the client-side watch grants beyond the statement timeout before stopping a statement
    /// itself (the server's `statement_timeout` normally fires first).
    static let deadlineGrace: Duration = .seconds(2)

    struct CursorRefused: Error {}

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
                if mode == .cursor {
                    do {
                        return try await self.transaction(run, sql, bindings, maxRows: maxRows, timeout: timeout, mode: .cursor)
                    } catch is CursorRefused {
                        // Not a plain query (EXPLAIN, or not valid SQL at all): run it as written so
                        // its own error, with correct positions, is what the caller sees.
                    }
                }
                return try await self.transaction(run, sql, bindings, maxRows: maxRows, timeout: timeout, mode: .direct)
            }
        } catch let error as DeclareFailed {
            throw self.translator.translate(error.underlying, timeout: timeout, positionOffset: Self.cursorPrefix.count)
        } catch {
            throw self.translator.translate(error, timeout: timeout)
        }
    }

    /// An error raised by the `DECLARE` wrapping the caller's statement (positions are shifted).
    struct DeclareFailed: Error {
        var underlying: any Error
    }

    /// One read-only transaction: set up, run the statement under the watch, roll back.
    private func transaction(
        _ run: PostgresStatementRunner,
        _ sql: String,
        _ bindings: PostgresBindings,
        maxRows: Int,
        timeout: Duration,
        mode: ExecutionMode
    ) async throws -> RawRows {
        // Everything after BEGIN — BEGIN included, as the caller may leave while it runs — ends in
        // ROLLBACK, so a connection never returns to the pool inside a transaction.
        do {
            try await run.execute("BEGIN TRANSACTION READ ONLY")
            let milliseconds = max(1, timeout.wholeMilliseconds)
            let setup = try await run.rows(
                "SELECT pg_catalog.pg_backend_pid(), pg_catalog.set_config('statement_timeout', \(String(milliseconds)), true)"
            )
            guard let row = setup.first else { throw AnalyticsError.internalError() }
            let (pid, _) = try row.decode((Int32, String).self)
            let deadline = ContinuousClock.now + timeout + Self.deadlineGrace
            let result = try await self.watch.run(on: run.connection, backendPID: pid, deadline: deadline) { signal in
                try await self.statement(run, sql, bindings, maxRows: maxRows, mode: mode, signal: signal)
            }
            await self.rollback(run)
            return result
        } catch {
            await self.rollback(run)
            throw error
        }
    }

    private func statement(
        _ run: PostgresStatementRunner,
        _ sql: String,
        _ bindings: PostgresBindings,
        maxRows: Int,
        mode: ExecutionMode,
        signal: PostgresStatementWatch.Signal
    ) async throws -> RawRows {
        let fetched: (columns: [PostgresColumn], rows: [PostgresRow], more: Bool)
        switch mode {
        case .cursor:
            do {
                try await run.execute(PostgresQuery(unsafeSQL: Self.cursorPrefix + sql, binds: bindings))
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42601" {
                throw CursorRefused()
            } catch let error as PSQLError {
                throw DeclareFailed(underlying: error)
            }
            fetched = try await run.firstRows(
                PostgresQuery(unsafeSQL: "FETCH FORWARD \(maxRows + 1) FROM \(Self.cursorName)"),
                limit: maxRows
            )
        case .direct:
            fetched = try await run.firstRows(PostgresQuery(unsafeSQL: sql, binds: bindings), limit: maxRows)
            if fetched.more { await signal.stopStatement() }
        }
        let decoded = try await PostgresResultDecoder(catalog: self.catalog).decode(columns: fetched.columns, rows: fetched.rows, using: run)
        return RawRows(columns: decoded.columns, rows: decoded.rows, truncated: fetched.more)
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
