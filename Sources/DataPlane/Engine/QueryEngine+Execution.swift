import AnalyticsCore
import Foundation
import Logging
import MetadataStore
import SQLGuard

extension QueryEngine {
    /// What the log entry of one execution needs, filled in as the execution proceeds.
    struct ExecutionRecord {
        var persona: String?
        var analysis: SQLAnalysis?
        var cached = false
        var rows = 0
        var bytes = 0
    }

    /// Runs one guarded query and returns its shaped result; every call is logged.
    ///
    /// Errors are `AnalyticsError`s with stable codes (anything else is logged and answered as
    /// `INTERNAL_ERROR`); cancelling the calling task cancels the statement on the database.
    public func execute(_ request: QueryRequest, caller: CallerContext) async throws -> QueryResult {
        try await self.execute(request, caller: caller, planID: nil)
    }

    func execute(_ request: QueryRequest, caller: CallerContext, planID: String?) async throws -> QueryResult {
        try await self.recorded(datasetID: request.datasetID, persona: request.persona, caller: caller, planID: planID) {
            queryID,
            started,
            record in
            try await self.guarded(request, caller: caller, queryID: queryID, started: started, record: &record)
        }
    }

    /// One execution as the query log and the metrics see it: admitted, run by `body`, then
    /// recorded exactly once — success or error, hit or miss — with what `body` noted in the record.
    func recorded<T: Sendable>(
        datasetID: String,
        persona: String?,
        caller: CallerContext,
        planID: String?,
        _ body: (_ queryID: String, _ started: ContinuousClock.Instant, _ record: inout ExecutionRecord) async throws -> T
    ) async throws -> T {
        let started = ContinuousClock.now
        let startedAt = Date()
        let queryID = UUID().uuidString.lowercased()
        try await self.admit(datasetID: datasetID)
        var record = ExecutionRecord(persona: persona)
        do {
            let result = try await body(queryID, started, &record)
            self.log(caller, queryID: queryID, at: startedAt, started: started, datasetID: datasetID, planID: planID, record, error: nil)
            return result
        } catch {
            let mapped = self.clientError(error, datasetID: datasetID)
            self.log(caller, queryID: queryID, at: startedAt, started: started, datasetID: datasetID, planID: planID, record, error: mapped)
            throw mapped
        }
    }

    /// Waits for room in the query log; refuses the query when the log cannot keep up.
    func admit(datasetID: String) async throws {
        do {
            try await self.queryLog.admit()
        } catch {
            self.logger.warning("query refused: the query log is full", metadata: ["mcpa.dataset": "\(datasetID)"])
            throw error
        }
    }

    private func guarded(
        _ request: QueryRequest,
        caller: CallerContext,
        queryID: String,
        started: ContinuousClock.Instant,
        record: inout ExecutionRecord
    ) async throws -> QueryResult {
        try caller.principal.require(.runQueries)
        let dataset = try await self.activeDataset(request.datasetID)
        let analysis = try self.sqlGuard.analyze(request.sql)
        record.analysis = analysis
        var warnings: [QueryWarning] = []
        for inspector in self.inspectors {
            warnings += try inspector(analysis, dataset, request)
        }
        let isRaw = !analysis.isAggregated && !analysis.isExplain
        let limits = try RowLimits(settings: dataset.settings, requested: request.limit, isRaw: isRaw)

        let key =
            self.cache.configuration.isEnabled
            ? ResultCacheKey(
                datasetID: dataset.id,
                datasetVersion: dataset.version,
                sql: request.sql,
                analysis: analysis,
                limit: request.limit,
                persona: request.persona
            )
            : nil
        if let key, let hit = self.cache.value(for: key), var result = hit.result {
            result.cached = true
            result.queryID = queryID
            result.elapsedMs = started.millisecondsElapsed
            record.cached = true
            record.rows = result.rowCount
            record.bytes = hit.bytes
            return result
        }

        let timeout = self.timeout(for: dataset, limits: limits)
        let raw: RawRows
        do {
            raw = try await self.connectors.query(dataset: dataset, sql: analysis.statementSQL, maxRows: limits.maxRows, timeout: timeout)
        } catch let error as AnalyticsError where error.code == .queryTimeout && limits.isRaw && timeout < dataset.statementTimeout {
            throw await self.slowRawQuery(analysis.statementSQL, dataset: dataset, timeout: timeout, limits: limits)
        }

        let shaped = ResultShaper(budget: self.configuration.resultBudgetCharacters).shape(columns: raw.columns, rows: raw.rows)
        if raw.truncated { warnings.append(limits.truncationWarning(settings: dataset.settings)) }
        if let warning = shaped.warning { warnings.append(warning) }
        var result = QueryResult(
            datasetID: dataset.id,
            columns: raw.columns,
            rows: shaped.rows,
            rowCount: shaped.rows.count,
            truncated: raw.truncated || shaped.cut,
            aggregated: !isRaw,
            elapsedMs: 0,
            queryID: queryID,
            cached: false,
            warnings: warnings
        )
        if let key { self.cache.insert(ResultCache.CachedResult(result: result, bytes: shaped.bytes), for: key) }
        result.elapsedMs = started.millisecondsElapsed
        record.rows = result.rowCount
        record.bytes = shaped.bytes
        return result
    }

    /// The dataset's statement timeout, or the shorter raw-query timeout for row-level queries.
    func timeout(for dataset: Dataset, limits: RowLimits) -> Duration {
        limits.isRaw ? min(dataset.statementTimeout, self.configuration.rawQueryTimeout) : dataset.statementTimeout
    }

    /// The error for a row-level query stopped by the raw-query timeout, with the planner's estimate
    /// of the rows it has to read when the database can tell quickly.
    private func slowRawQuery(_ sql: String, dataset: Dataset, timeout: Duration, limits: RowLimits) async -> AnalyticsError {
        let estimate = try? await self.connectors.execute(dataset: dataset) { connector in
            try await connector.estimatedRows(sql, binds: [], timeout: .seconds(2))
        }
        let size = estimate.flatMap { $0 }.map { " (the planner expects about \(Int($0)) rows)" } ?? ""
        var details: [String: JSONValue] = ["timeout_ms": .int(Int64(timeout.wholeMilliseconds))]
        if let rows = estimate.flatMap({ $0 }) { details["estimated_rows"] = .double(rows) }
        return AnalyticsError(
            .queryTimeout,
            "This row-level query did not return its first rows within \(timeout.wholeMilliseconds) ms: its plan must read the whole input before the first row\(size), e.g. to sort it.",
            hint:
                "Row-level results only show a sample of \(limits.maxRows) rows. Aggregate instead (GROUP BY with weighted sums), drop ORDER BY, or filter on indexed columns so rows stream at once.",
            details: .object(details)
        )
    }

    /// What a client may see of `error`: coded errors as they are, anything else as `INTERNAL_ERROR`
    /// (logged here with its type only, since driver messages may hold connection details).
    func clientError(_ error: any Error, datasetID: String) -> any Error {
        switch error {
        case let error as AnalyticsError:
            return error
        case is CancellationError:
            return error
        default:
            self.logger.error(
                "query failed with an unexpected error",
                metadata: ["mcpa.dataset": "\(datasetID)", "mcpa.error.type": "\(String(describing: type(of: error)))"]
            )
            return AnalyticsError.internalError()
        }
    }

    /// Records one execution — SQL or breakdown, success or error, hit or miss — in the query log
    /// and the engine's metrics.
    func log(
        _ caller: CallerContext,
        queryID: String,
        at startedAt: Date,
        started: ContinuousClock.Instant,
        datasetID: String,
        planID: String?,
        _ record: ExecutionRecord,
        error: (any Error)?
    ) {
        let code = QueryLogEntry.errorCode(for: error)
        let durationMs = started.millisecondsElapsed
        EngineMetrics.record(status: error == nil ? "ok" : "error", code: code, cached: record.cached, durationMs: durationMs)
        var entry = QueryLogEntry(caller: caller, id: queryID, at: startedAt, datasetIDs: [datasetID], errorCode: code, durationMs: durationMs)
        entry.normalizedSQL = record.analysis?.normalizedSQL
        entry.fingerprint = record.analysis?.fingerprint
        entry.rows = record.rows
        entry.bytes = record.bytes
        entry.cached = record.cached
        entry.planID = planID
        entry.persona = record.persona
        self.queryLog.record(entry)
    }
}

extension Dataset {
    /// The dataset's `statement_timeout_ms` as a duration.
    var statementTimeout: Duration { .milliseconds(max(1, self.settings.statementTimeoutMs)) }
}

extension ContinuousClock.Instant {
    /// Milliseconds from this instant until now, with sub-millisecond precision.
    var millisecondsElapsed: Double {
        let elapsed = ContinuousClock.now - self
        return elapsed.inMilliseconds
    }
}
