import AnalyticsCore
import DataPlane
import Foundation
import Logging
import MetadataStore
import PostgresNIO
import SQLGuard

extension EngineBenchmark {
    /// The four scenarios, run against one registered dataset and one raw client.
    struct Scenario: Sendable {
        var options: Options
        var dataset: Dataset
        var uncached: QueryEngine
        var cached: QueryEngine
        var raw: PostgresClient
        var datasets: any DatasetRegistry
        var caller: CallerContext
        var logger: Logger
        var status: @Sendable (String) -> Void

        static let weightedAggregate =
            "SELECT gender, sum(weight) AS weighted_n, count(*) AS n FROM respondents WHERE respondent_id BETWEEN 1 AND 500 GROUP BY gender ORDER BY gender"
        static let sleeper = "SELECT pg_sleep(0.1), count(*) AS n FROM respondents WHERE respondent_id BETWEEN 1 AND 1000"
        static let wideScan = "SELECT * FROM tv_viewing"

        /// Samples per run for the sub-millisecond scenarios.
        static let aggregateSamples = 200
        static let parseSamples = 2_000
        static let scanSamples = 20
        static let hitSamples = 1_000

        func runAll() async throws -> [EngineBenchmarkReport.Figure] {
            try await self.warmUp()
            var figures: [EngineBenchmarkReport.Figure] = []
            figures += try await self.aggregate()
            figures += try await self.plan()
            figures += try await self.scan()
            figures += try await self.cacheHit()
            return figures
        }

        func execute(_ engine: QueryEngine, _ sql: String, limit: Int? = nil) async throws -> QueryResult {
            try await engine.execute(QueryRequest(datasetID: self.dataset.id, sql: sql, limit: limit), caller: self.caller)
        }

        /// Reads every row of `sql` on the raw client; returns the row count.
        @discardableResult
        func rawQuery(_ sql: String) async throws -> Int {
            var count = 0
            for try await _ in try await self.raw.query(PostgresQuery(unsafeSQL: sql)) { count += 1 }
            return count
        }

        /// The connector's protocol on the raw client: a read-only transaction with a statement
        /// timeout, the statement through a cursor, rollback — five round trips, no decoding.
        func rawTransaction(_ sql: String, rows: Int) async throws {
            try await self.raw.withConnection { connection in
                try await connection.query("BEGIN TRANSACTION READ ONLY", logger: self.logger)
                _ = try await connection.query(
                    "SELECT pg_catalog.pg_backend_pid(), pg_catalog.set_config('statement_timeout', '60000', true)",
                    logger: self.logger
                ).collect()
                try await connection.query(PostgresQuery(unsafeSQL: "DECLARE bench_cursor NO SCROLL CURSOR FOR " + sql), logger: self.logger)
                for try await _ in try await connection.query(
                    PostgresQuery(unsafeSQL: "FETCH FORWARD \(rows + 1) FROM bench_cursor"),
                    logger: self.logger
                ) {}
                try await connection.query("ROLLBACK", logger: self.logger)
            }
        }

        /// Opens the pools and fills the server's caches, so the first measured run is not special.
        func warmUp() async throws {
            self.status("warming up…")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<self.options.pool {
                    group.addTask { _ = try await self.execute(self.uncached, Self.weightedAggregate) }
                    group.addTask { try await self.rawQuery(Self.weightedAggregate) }
                }
                try await group.waitForAll()
            }
            for _ in 0..<20 {
                _ = try await self.execute(self.uncached, Self.wideScan, limit: 100)
                try await self.rawQuery(Self.wideScan + " LIMIT 101")
            }
        }

        /// (a) the guarded path's added cost on a small weighted aggregate, and the parse alone.
        func aggregate() async throws -> [EngineBenchmarkReport.Figure] {
            self.status("(a) small weighted aggregate…")
            var engine = BenchmarkSamples()
            var raw = BenchmarkSamples()
            var parse = BenchmarkSamples()
            var connector = BenchmarkSamples()
            var lookup = BenchmarkSamples()
            var protocolOnly = BenchmarkSamples()
            let sqlGuard = SQLGuard()
            for _ in 0..<self.options.runs {
                for _ in 0..<Self.aggregateSamples {
                    engine.append(try await measure { _ = try await self.execute(self.uncached, Self.weightedAggregate) })
                    raw.append(try await measure { try await self.rawQuery(Self.weightedAggregate) })
                    connector.append(
                        try await measure {
                            _ = try await self.uncached.connectors.query(
                                dataset: self.dataset,
                                sql: Self.weightedAggregate,
                                maxRows: 200,
                                timeout: .seconds(60)
                            )
                        }
                    )
                    lookup.append(try await measure { _ = try await self.datasets.dataset(id: self.dataset.id) })
                    protocolOnly.append(try await measure { try await self.rawTransaction(Self.weightedAggregate, rows: 200) })
                }
                for _ in 0..<Self.parseSamples {
                    parse.append(try await measure { _ = try sqlGuard.analyze(Self.weightedAggregate) })
                }
            }
            let added = engine.median - raw.median
            return [
                .init(
                    name: "(a) weighted aggregate, p50",
                    value: engine.median,
                    baseline: raw.median,
                    unit: "ms",
                    target: "≤ 1 ms added",
                    met: added <= 1,
                    note: String(format: "added %.3f ms; p90 %.3f vs %.3f ms", added, engine.quantile(0.9), raw.quantile(0.9))
                )
            ] + EngineBenchmarkReport.Figure.costSplit("(a)", connector: connector, protocolOnly: protocolOnly, raw: raw) + [
                .init(
                    name: "(a) registry lookup (skipped by the engine's record cache)",
                    value: lookup.median,
                    baseline: nil,
                    unit: "ms",
                    target: "—",
                    met: nil,
                    note: nil
                ),
                .init(
                    name: "(a) guard parse alone, p50",
                    value: parse.median * 1_000,
                    baseline: nil,
                    unit: "µs",
                    target: "≤ 100 µs",
                    met: parse.median * 1_000 <= 100,
                    note: nil
                ),
            ]
        }

        /// (b) 30 sub-queries of ~100 ms: one plan with pool P, one by one, and raw with pool P.
        func plan() async throws -> [EngineBenchmarkReport.Figure] {
            self.status("(b) 30 sub-queries of ~100 ms…")
            let steps = (0..<30).map { PlanStep(id: "s\($0)", datasetID: self.dataset.id, sql: Self.sleeper) }
            var planned = BenchmarkSamples()
            var sequential = BenchmarkSamples()
            var raw = BenchmarkSamples()
            for _ in 0..<self.options.runs {
                planned.append(
                    try await measure {
                        let result = try await self.uncached.runPlan(QueryPlan(queries: steps), caller: self.caller) { _ in }
                        guard result.failed == 0 else {
                            throw AnalyticsError.internalError(
                                "\(result.failed) plan steps failed: \(result.steps.compactMap(\.error).first ?? .null)"
                            )
                        }
                    }
                )
                raw.append(
                    try await measure {
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            for _ in 0..<30 { group.addTask { try await self.rawQuery(Self.sleeper) } }
                            try await group.waitForAll()
                        }
                    }
                )
                sequential.append(try await measure { for _ in 0..<30 { _ = try await self.execute(self.uncached, Self.sleeper) } })
            }
            let waves = (30 + self.options.pool - 1) / self.options.pool
            let target = 1.2 * Double(waves) * 100
            return [
                .init(
                    name: "(b) 30 × 100 ms plan, pool \(self.options.pool), wall",
                    value: planned.median,
                    baseline: raw.median,
                    unit: "ms",
                    target: String(format: "≤ %.0f ms", target),
                    met: planned.median <= target,
                    note: String(
                        format: "one by one %.0f ms (%.1f× slower than the plan)",
                        sequential.median,
                        sequential.median / max(planned.median, 0.001)
                    )
                )
            ]
        }

        /// (c) `SELECT *` on the largest event table with limit 100, and the process's peak memory growth.
        func scan() async throws -> [EngineBenchmarkReport.Figure] {
            self.status("(c) SELECT * on tv_viewing, limit 100…")
            var engine = BenchmarkSamples()
            var raw = BenchmarkSamples()
            var connector = BenchmarkSamples()
            var protocolOnly = BenchmarkSamples()
            let reset = ProcessMemory.resetPeak()
            let before = ProcessMemory.current()
            var rows = 0
            var truncated = true
            for _ in 0..<self.options.runs {
                for _ in 0..<Self.scanSamples {
                    engine.append(
                        try await measure {
                            let result = try await self.execute(self.uncached, Self.wideScan, limit: 100)
                            rows = result.rowCount
                            truncated = truncated && result.truncated
                        }
                    )
                    raw.append(try await measure { try await self.rawQuery(Self.wideScan + " LIMIT 101") })
                    connector.append(
                        try await measure {
                            _ = try await self.uncached.connectors.query(
                                dataset: self.dataset,
                                sql: Self.wideScan,
                                maxRows: 100,
                                timeout: .seconds(60)
                            )
                        }
                    )
                    protocolOnly.append(try await measure { try await self.rawTransaction(Self.wideScan, rows: 100) })
                }
            }
            let after = ProcessMemory.current()
            let growth = before.flatMap { b in after.map { Double($0.peak - b.resident) / 1_048_576 } }
            var figures: [EngineBenchmarkReport.Figure] =
                [
                    .init(
                        name: "(c) SELECT * tv_viewing limit 100, p50",
                        value: engine.median,
                        baseline: raw.median,
                        unit: "ms",
                        target: "≤ 2× raw LIMIT 101",
                        met: engine.median <= 2 * raw.median,
                        note: "\(rows) rows, truncated: \(truncated)"
                    )
                ] + EngineBenchmarkReport.Figure.costSplit("(c)", connector: connector, protocolOnly: protocolOnly, raw: raw)
            if let growth {
                figures.append(
                    .init(
                        name: "(c) peak RSS growth",
                        value: growth,
                        baseline: nil,
                        unit: "MB",
                        target: "< 50 MB",
                        met: growth < 50,
                        note: reset ? "VmHWM after − VmRSS before, peak reset first" : "VmHWM could not be reset; upper bound"
                    )
                )
            }
            return figures
        }

        /// (d) a result-cache hit through the whole engine path (lookup, guard, key, log record).
        func cacheHit() async throws -> [EngineBenchmarkReport.Figure] {
            self.status("(d) cache hits…")
            let first = try await self.execute(self.cached, Self.weightedAggregate)
            guard !first.cached else { throw AnalyticsError.internalError("the benchmark's cache was not empty") }
            var hits = BenchmarkSamples()
            var raw = BenchmarkSamples()
            for _ in 0..<self.options.runs {
                for _ in 0..<Self.hitSamples {
                    hits.append(
                        try await measure {
                            let result = try await self.execute(self.cached, Self.weightedAggregate)
                            guard result.cached else { throw AnalyticsError.internalError("expected a cache hit") }
                        }
                    )
                }
                for _ in 0..<(Self.hitSamples / 10) {
                    raw.append(try await measure { try await self.rawQuery(Self.weightedAggregate) })
                }
            }
            return [
                .init(
                    name: "(d) cache hit, p50",
                    value: hits.median,
                    baseline: raw.median,
                    unit: "ms",
                    target: "≤ 0.2 ms",
                    met: hits.median <= 0.2,
                    note: String(format: "p90 %.3f ms", hits.quantile(0.9))
                )
            ]
        }
    }
}

extension EngineBenchmarkReport.Figure {
    /// The two figures that split a scenario's cost: the connector alone, and raw PostgresNIO
    /// speaking the connector's round trips, both against the raw query.
    static func costSplit(_ scenario: String, connector: BenchmarkSamples, protocolOnly: BenchmarkSamples, raw: BenchmarkSamples) -> [Self] {
        [
            .init(
                name: "\(scenario) of which connector (read-only tx, cursor, decode)",
                value: connector.median,
                baseline: raw.median,
                unit: "ms",
                target: "—",
                met: nil,
                note: nil
            ),
            .init(
                name: "\(scenario) raw with the connector's 5-round-trip protocol",
                value: protocolOnly.median,
                baseline: raw.median,
                unit: "ms",
                target: "—",
                met: nil,
                note: nil
            ),
        ]
    }
}
