import AnalyticsCore

/// Builds the one statement that computes a breakdown's group sums (DESIGN §5.2).
///
/// Shape (PostgreSQL and SQLite alike):
/// ```sql
/// WITH "seg" AS (            -- respondents in the segment: key, weight, merged by-dimensions
///   SELECT r."respondent_id" AS "k", CAST(r."weight" AS DOUBLE PRECISION) AS "w",
///          CASE CAST(r."nccs" AS TEXT) WHEN $1 THEN $2 … ELSE CAST(r."nccs" AS TEXT) END AS "d0"
///   FROM "respondents" AS r WHERE r."weight" IS NOT NULL AND <merged dimension> IN ($…) …),
/// "ev" AS (                  -- one row per respondent with matching events
///   SELECT e."respondent_id" AS "k", SUM(CAST(e."minutes" AS DOUBLE PRECISION)) AS "v"
///   FROM "tv_viewing" AS e
///   WHERE e."respondent_id" IN (SELECT "k" FROM "seg") AND e."genre" IN ($…) AND e."start_time" >= $… AND e."start_time" < $…
///   GROUP BY e."respondent_id"),
/// "per" AS (                 -- every segment respondent: x = 0 and hit = 0 without events
///   SELECT s."d0", s."w", COALESCE(ev."v", 0) AS "x", CASE WHEN ev."k" IS NULL THEN 0 ELSE 1 END AS "hit"
///   FROM "seg" AS s LEFT JOIN "ev" ON ev."k" = s."k")
/// SELECT "d0", COUNT(*) AS "n", SUM("w") AS "sum_w", SUM("w" * "w") AS "sum_w2", SUM("w" * "x") AS "sum_wx",
///        SUM("w" * "hit") AS "sum_w_hit", SUM("hit") AS "n_hit", SUM("w" * "w" * "hit") AS "sum_w2_hit"
/// FROM "per" GROUP BY "d0"
/// ```
/// Merges are `CASE` expressions evaluated per respondent before any aggregate, so a merged
/// category is one group. Identifiers go through `SQLIdentifier.quote` only; every value (merge
/// map, filters, condition values, window bounds) is a `$n` parameter. Respondents without a
/// weight are left out; a mean of a respondent column leaves out respondents without a value.
public struct BreakdownSQLBuilder: Sendable {
    public var dialect: SQLDialect

    public init(dialect: SQLDialect) {
        self.dialect = dialect
    }

    /// Names of the result columns after the `d0…` group keys.
    public static let sumColumns = ["n", "sum_w", "sum_w2", "sum_wx", "sum_w_hit", "n_hit", "sum_w2_hit"]

    public func build(_ plan: BreakdownPlan, window: ResolvedWindow?) throws -> (sql: String, binds: [JSONValue]) {
        var binds = SQLBinds()
        let config = plan.config
        let weight = "r." + (try SQLIdentifier.quote(config.weightColumn))
        var select = ["CAST(\(weight) AS DOUBLE PRECISION) AS \"w\""]
        if plan.eventTable != nil { select.insert("r.\(try SQLIdentifier.quote(config.respondentKey)) AS \"k\"", at: 0) }
        for (index, dimension) in plan.by.enumerated() {
            select.append("\(try self.reported(dimension, &binds)) AS \"d\(index)\"")
        }
        var conditions = ["\(weight) IS NOT NULL"]
        if let segment = plan.segment {
            for dimension in config.dimensions {
                guard let values = segment.filters[dimension.column] else { continue }
                conditions.append("\(try self.reported(dimension, &binds)) IN (\(binds.list(values.map(JSONValue.string))))")
            }
        }
        if plan.eventTable == nil {
            if let column = plan.column {
                let quoted = "r." + (try SQLIdentifier.quote(column))
                select.append("CAST(\(quoted) AS DOUBLE PRECISION) AS \"x\"")
                select.append("1 AS \"hit\"")
                conditions.append("\(quoted) IS NOT NULL")
            } else {
                let predicate = try plan.conditions.map { try self.condition($0, &binds) }.joined(separator: " AND ")
                select.append("0 AS \"x\"")
                select.append("CASE WHEN \(predicate) THEN 1 ELSE 0 END AS \"hit\"")
            }
        }
        let table = try SQLIdentifier.quote(qualified: config.qualifiedName(config.respondentTable))
        var ctes = [
            "\"seg\" AS (SELECT \(select.joined(separator: ", ")) FROM \(table) AS r WHERE \(conditions.joined(separator: " AND ")))"
        ]
        var source = "\"seg\""
        let keys = plan.by.indices.map { "\"d\($0)\"" }
        if let eventTable = plan.eventTable, let events = plan.events {
            ctes.append(try self.eventsCTE(eventTable, events, kind: plan.measure.kind, window: window, config: config, &binds))
            let carried = (keys.map { "s." + $0 } + ["s.\"w\""]).joined(separator: ", ")
            ctes.append(
                "\"per\" AS (SELECT \(carried), COALESCE(ev.\"v\", 0) AS \"x\", CASE WHEN ev.\"k\" IS NULL THEN 0 ELSE 1 END AS \"hit\" "
                    + "FROM \"seg\" AS s LEFT JOIN \"ev\" ON ev.\"k\" = s.\"k\")"
            )
            source = "\"per\""
        }
        let sums = [
            "COUNT(*) AS \"n\"", "SUM(\"w\") AS \"sum_w\"", "SUM(\"w\" * \"w\") AS \"sum_w2\"", "SUM(\"w\" * \"x\") AS \"sum_wx\"",
            "SUM(\"w\" * \"hit\") AS \"sum_w_hit\"", "SUM(\"hit\") AS \"n_hit\"", "SUM(\"w\" * \"w\" * \"hit\") AS \"sum_w2_hit\"",
        ]
        var sql = "WITH \(ctes.joined(separator: ", ")) SELECT \((keys + sums).joined(separator: ", ")) FROM \(source)"
        if !keys.isEmpty { sql += " GROUP BY \(keys.joined(separator: ", "))" }
        return (sql, binds.values)
    }

    /// The query that finds the reference day of a relative window: the latest event time.
    public func latestEventQuery(_ table: EventTableConfig, config: WeightingConfig) throws -> String? {
        guard let time = table.timeColumn else { return nil }
        let name = try SQLIdentifier.quote(qualified: config.qualifiedName(table.table))
        return "SELECT MAX(e.\(try SQLIdentifier.quote(time))) AS \"latest\" FROM \(name) AS e"
    }

    /// The reported (merged) value of a dimension for respondent `r`, as text.
    func reported(_ dimension: WeightingDimension, _ binds: inout SQLBinds) throws -> String {
        let raw = "CAST(r.\(try SQLIdentifier.quote(dimension.column)) AS TEXT)"
        let merges = dimension.merge.filter { $0.key != $0.value }.sorted { $0.key < $1.key }
        guard !merges.isEmpty else { return raw }
        let whens = merges.map { "WHEN \(binds.add(.string($0.key))) THEN \(binds.add(.string($0.value)))" }
        return "CASE \(raw) \(whens.joined(separator: " ")) ELSE \(raw) END"
    }

    func condition(_ condition: BreakdownPlan.Condition, _ binds: inout SQLBinds) throws -> String {
        let left = try condition.dimension.map { try self.reported($0, &binds) } ?? "r." + (try SQLIdentifier.quote(condition.column))
        let values = condition.values.map(SQLBinds.comparable)
        switch condition.op {
        case .isNull: return "\(left) IS NULL"
        case .notNull: return "\(left) IS NOT NULL"
        case .isIn: return "\(left) IN (\(binds.list(values)))"
        case .notIn: return "\(left) NOT IN (\(binds.list(values)))"
        case .notEqual: return "\(left) <> \(binds.add(values.first ?? .null))"
        default: return "\(left) \(condition.op.rawValue) \(binds.add(values.first ?? .null))"
        }
    }

    func eventsCTE(
        _ table: EventTableConfig,
        _ events: EventSelection,
        kind: BreakdownMeasure.Kind,
        window: ResolvedWindow?,
        config: WeightingConfig,
        _ binds: inout SQLBinds
    ) throws -> String {
        let key = "e." + (try SQLIdentifier.quote(table.respondentKey))
        let value: String
        switch kind == .share ? nil : events.aggregation {
        case .sum?: value = "SUM(CAST(e.\(try SQLIdentifier.quote(events.column ?? "")) AS DOUBLE PRECISION))"
        case .avg?: value = "AVG(CAST(e.\(try SQLIdentifier.quote(events.column ?? "")) AS DOUBLE PRECISION))"
        case .count?: value = try events.column.map { "COUNT(e.\(try SQLIdentifier.quote($0)))" } ?? "COUNT(*)"
        case nil: value = "COUNT(*)"
        }
        var conditions = ["\(key) IN (SELECT \"k\" FROM \"seg\")"]
        for column in events.filters.keys.sorted() {
            let values = (events.filters[column] ?? []).map(SQLBinds.comparable)
            conditions.append("e.\(try SQLIdentifier.quote(column)) IN (\(binds.list(values)))")
        }
        if let window, let time = table.timeColumn {
            let quoted = "e." + (try SQLIdentifier.quote(time))
            if let from = window.from { conditions.append("\(quoted) >= \(binds.add(.string(from.description)))") }
            if let to = window.to { conditions.append("\(quoted) < \(binds.add(.string(to.adding(days: 1).description)))") }
        }
        let name = try SQLIdentifier.quote(qualified: config.qualifiedName(table.table))
        return
            "\"ev\" AS (SELECT \(key) AS \"k\", \(value) AS \"v\" FROM \(name) AS e WHERE \(conditions.joined(separator: " AND ")) GROUP BY \(key))"
    }
}
