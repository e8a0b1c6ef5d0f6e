import AnalyticsCore
import Foundation
import Logging
import MetadataStore
import SQLGuard

extension QueryEngine {
    /// What the log entry of one execution needs, filled in as the execution proceeds.
    struct ExecutionRecord {
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
        let started = ContinuousClock.now
        let startedAt = Date()
        let queryID = UUID().uuidString.lowercased()
        var record = ExecutionRecord()
        do {
            try await self.queryLog.admit()
        } catch {
            self.logger.warning("query refused: the query log is full", metadata: ["mcpa.dataset": "\(request.datasetID)"])
            throw error
        }
        do {
            let result = try await self.guarded(request, caller: caller, queryID: queryID, started: started, record: &record)
            self.log(request, caller, queryID, startedAt, started, record, error: nil)
            return result
        } catch {
            let mapped = self.clientError(error, datasetID: request.datasetID)
            self.log(request, caller, queryID, startedAt, started, record, error: mapped)
            throw mapped
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
        if let key, let hit = self.cache.value(for: key) {
            var result = hit.result
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
            raw = try await self.connectors.query(dataset: dataset, sql: request.sql, maxRows: limits.maxRows, timeout: timeout)
        } catch let error as AnalyticsError where error.code == .queryTimeout && limits.isRaw && timeout < dataset.statementTimeout {
            throw await self.slowRawQuery(request.sql, dataset: dataset, timeout: timeout, limits: limits)
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

    private func log(
        _ request: QueryRequest,
        _ caller: CallerContext,
        _ queryID: String,
        _ startedAt: Date,
        _ started: ContinuousClock.Instant,
        _ record: ExecutionRecord,
        error: (any Error)?
    ) {
        let code: String? =
            switch error {
            case nil: nil
            case let error as AnalyticsError: error.code.rawValue
            case is CancellationError: ErrorCode.queryCancelled.rawValue
            default: ErrorCode.internalError.rawValue
            }
        let durationMs = started.millisecondsElapsed
        EngineMetrics.record(status: error == nil ? "ok" : "error", code: code, cached: record.cached, durationMs: durationMs)
        self.queryLog.record(
            QueryLogEntry(
                id: queryID,
                at: startedAt,
                principalID: caller.principal.id,
                principalName: caller.principal.name,
                clientName: caller.clientName,
                clientVersion: caller.clientVersion,
                tool: caller.tool,
                datasetIDs: [request.datasetID],
                normalizedSQL: record.analysis?.normalizedSQL,
                fingerprint: record.analysis?.fingerprint,
                status: error == nil ? .ok : .error,
                errorCode: code,
                durationMs: durationMs,
                rows: record.rows,
                bytes: record.bytes,
                cached: record.cached,
                planID: Self.currentPlanID,
                promptHash: caller.promptHash,
                persona: request.persona
            )
        )
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
