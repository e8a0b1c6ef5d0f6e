import AnalyticsCore
import Foundation
import Logging
import SQLGuard

/// Runs a weighted breakdown on a dataset: plans it against the weighting config, builds its SQL,
/// passes that SQL through the guard like any other statement, runs it on the dataset's connector
/// (read-only, with the dataset's statement timeout) and turns the group sums into rows with
/// estimates, flags and narratives.
public struct BreakdownExecutor: Sendable {
    /// What one run produced: the result and the guard's analysis of its SQL (for the query log).
    public struct Execution: Sendable {
        public var result: BreakdownResult
        public var analysis: SQLAnalysis
    }

    public var sqlGuard: SQLGuard
    /// Most groups a breakdown may return; beyond it the request is refused as too large.
    public var maximumGroups: Int
    let logger: Logger

    public init(sqlGuard: SQLGuard = SQLGuard(), maximumGroups: Int = 200, logger: Logger) {
        self.sqlGuard = sqlGuard
        self.maximumGroups = maximumGroups
        self.logger = logger
    }

    public func run(
        _ request: BreakdownRequest,
        dataset: Dataset,
        config: WeightingConfig,
        connector: any DatasetConnector,
        today: BreakdownDay = BreakdownDay(Date())
    ) async throws -> Execution {
        let started = ContinuousClock.now
        let timeout = Duration.milliseconds(dataset.settings.statementTimeoutMs)
        let plan = try BreakdownPlanner(config: config).plan(request)
        let builder = BreakdownSQLBuilder(dialect: SQLDialect(dataset.connectionKind))
        try await self.checkRespondentColumns(plan, connector: connector, dialect: builder.dialect, timeout: timeout)
        let window = try await self.window(plan, builder: builder, connector: connector, today: today, timeout: timeout)
        let (sql, binds) = try builder.build(plan, window: window)
        let analysis: SQLAnalysis
        do {
            analysis = try self.sqlGuard.analyze(sql)
        } catch {
            self.logger.error(
                "server-built breakdown SQL was refused by the guard",
                metadata: ["mcpa.dataset": "\(dataset.id)", "mcpa.error.code": "\(error.code)"]
            )
            throw AnalyticsError.internalError("The server built a breakdown query it could not vet.")
        }
        let raw = try await connector.query(sql, binds: binds, maxRows: self.maximumGroups, timeout: timeout)
        guard !raw.truncated else {
            throw AnalyticsError(
                .resultTooLarge,
                "The breakdown has more than \(self.maximumGroups) groups.",
                hint: "Break down by fewer dimensions, or narrow the segment with a persona or filters."
            )
        }
        let groups = try self.groups(raw, dimensions: plan.by.count)
        let result = BreakdownShaper(plan: plan, window: window).result(
            groups: groups,
            sql: sql,
            queryID: UUID().uuidString.lowercased(),
            elapsedMs: Self.milliseconds(since: started)
        )
        return Execution(result: result, analysis: analysis)
    }

    /// The window with its days fixed; a relative window ends on the request's reference date,
    /// else on the day of the latest event in the table, else today.
    func window(
        _ plan: BreakdownPlan,
        builder: BreakdownSQLBuilder,
        connector: any DatasetConnector,
        today: BreakdownDay,
        timeout: Duration
    ) async throws -> ResolvedWindow? {
        guard let window = plan.events?.window else { return nil }
        guard plan.needsReferenceDate else { return window.resolved(reference: plan.referenceDate ?? today) }
        guard let table = plan.eventTable, let sql = try builder.latestEventQuery(table, config: plan.config) else {
            return window.resolved(reference: today)
        }
        _ = try self.sqlGuard.analyze(sql)
        let rows = try await connector.query(sql, binds: [], maxRows: 1, timeout: timeout)
        let latest = rows.rows.first?.first.flatMap { value -> BreakdownDay? in
            switch value {
            case .string(let text): BreakdownDay(text)
            default: nil
            }
        }
        return window.resolved(reference: latest ?? today)
    }

    /// Respondent columns named by a condition or mean must exist; a mean's must be numeric.
    func checkRespondentColumns(_ plan: BreakdownPlan, connector: any DatasetConnector, dialect: SQLDialect, timeout: Duration) async throws {
        let wanted = plan.rawRespondentColumns
        guard !wanted.isEmpty else { return }
        let columns = try await LiveSchema(connector: connector, timeout: timeout).columns(
            of: plan.config.qualifiedName(plan.config.respondentTable)
        )
        for name in wanted {
            guard let column = columns.first(where: { $0.name == name }) else {
                throw AnalyticsError.invalidRequest(
                    "\(plan.config.respondentTable) has no column '\(name)'.",
                    hint: "Columns: \(columns.map(\.name).joined(separator: ", "))."
                )
            }
            if name == plan.column, !ColumnTypes.isNumeric(column.type, dialect: dialect) {
                throw AnalyticsError.invalidRequest(
                    "\(plan.config.respondentTable).\(name) is \(column.type), not numeric: it has no mean.",
                    hint: "Measure a share with a condition on it instead."
                )
            }
        }
    }

    func groups(_ raw: RawRows, dimensions: Int) throws -> [GroupAggregate] {
        try raw.rows.map { row in
            guard row.count == dimensions + BreakdownSQLBuilder.sumColumns.count else {
                throw AnalyticsError.internalError("The breakdown query returned an unexpected shape.")
            }
            let keys = row.prefix(dimensions).map(Self.text)
            let sums = Array(row.dropFirst(dimensions))
            func number(_ index: Int) -> Double { sums[index].doubleValue ?? 0 }
            return GroupAggregate(
                keys: keys,
                n: Int(sums[0].intValue ?? 0),
                sumW: number(1),
                sumW2: number(2),
                sumWX: number(3),
                sumWHit: number(4),
                nHit: Int(sums[5].intValue ?? Int64(number(5))),
                sumW2Hit: number(6)
            )
        }
    }

    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .null: nil
        case .string(let text): text
        case .int(let int): String(int)
        case .number(let literal): literal
        default: value.serialized()
        }
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return elapsed.inMilliseconds
    }
}
