import AnalyticsCore
import DataPlane
import Foundation
import MetadataStore
import SQLGuard
import TestSupport
import Testing

@Suite("Engine: limits, budget, errors and logging on PostgreSQL")
struct EngineExecutionTests {
    /// A database with `numbers(n)` holding 1…`rows` and a dataset `ds` over it.
    static func withNumbers<T: Sendable>(
        rows: Int = 20,
        settings: DatasetSettings = EngineHarness.settings(),
        options: EngineHarness.Options = EngineHarness.Options(),
        _ body: (EngineHarness, ScratchDatabase) async throws -> T
    ) async throws -> T {
        try await ConnectorFixtures.withDatabase { database in
            try await TestPostgres.execute(
                [
                    "CREATE TABLE numbers (n integer PRIMARY KEY, label text NOT NULL)",
                    "INSERT INTO numbers SELECT i, 'label ' || i FROM generate_series(1, \(rows)) AS i",
                ],
                on: database.url
            )
            return try await EngineHarness.with(options) { harness in
                try await harness.addDataset("ds", url: database.url, settings: settings)
                return try await body(harness, database)
            }
        }
    }

    @Test("an aggregated result is cut exactly at its limit: cap-1, cap, cap+1")
    func aggregatedCap() async throws {
        try await Self.withNumbers { harness, _ in
            for (groups, truncated) in [(9, false), (10, false), (11, true)] {
                let result = try await harness.query("ds", "SELECT n, count(*) FROM numbers WHERE n <= \(groups) GROUP BY n ORDER BY n", limit: 10)
                #expect(result.aggregated)
                #expect(result.rowCount == min(groups, 10))
                #expect(result.rows.count == result.rowCount)
                #expect(result.truncated == truncated, "\(groups) groups")
                #expect(result.rows.first == [1, 1])
                #expect(result.warnings.map(\.code) == (truncated ? ["TRUNCATED"] : []))
            }
        }
    }

    @Test("row-level results are capped at raw_row_limit whatever limit says, exactly at cap-1, cap, cap+1")
    func rawCap() async throws {
        try await Self.withNumbers(settings: EngineHarness.settings(rawRowLimit: 5)) { harness, _ in
            for (rows, truncated) in [(4, false), (5, false), (6, true)] {
                let result = try await harness.query("ds", "SELECT n, label FROM numbers WHERE n <= \(rows) ORDER BY n", limit: 100)
                #expect(!result.aggregated)
                #expect(result.rowCount == min(rows, 5))
                #expect(result.truncated == truncated, "\(rows) rows")
                #expect(result.rows.map { $0.first } == (1...min(rows, 5)).map { JSONValue.int(Int64($0)) })
                let warning = result.warnings.first { $0.code == "RAW_ROW_LIMIT" }
                #expect((warning != nil) == truncated)
                if let warning { #expect(warning.message.contains("5 rows")) }
            }
            let small = try await harness.query("ds", "SELECT n FROM numbers ORDER BY n", limit: 2)
            #expect(small.rowCount == 2 && small.truncated, "a limit below the raw cap applies")
            #expect(small.warnings.map(\.code) == ["TRUNCATED"])
        }
    }

    @Test("limit is clamped to max_row_limit with a warning naming it, and must be positive")
    func maxRowLimit() async throws {
        try await Self.withNumbers(rows: 40, settings: EngineHarness.settings(defaultRowLimit: 7, maxRowLimit: 25)) { harness, _ in
            let clamped = try await harness.query("ds", "SELECT n, count(*) FROM numbers GROUP BY n", limit: 1_000)
            #expect(clamped.rowCount == 25 && clamped.truncated)
            #expect(clamped.warnings.first?.code == "ROW_LIMIT")
            #expect(clamped.warnings.first?.message.contains("25") == true)
            let defaulted = try await harness.query("ds", "SELECT n, count(*) FROM numbers GROUP BY n")
            #expect(defaulted.rowCount == 7 && defaulted.truncated)
            for bad in [0, -3] {
                await expectError(.invalidRequest) { _ = try await harness.query("ds", "SELECT count(*) FROM numbers", limit: bad) }
            }
        }
    }

    @Test("results are held to the size budget: a prefix of whole rows, truncated, with a warning")
    func budget() async throws {
        var options = EngineHarness.Options()
        options.engine = EngineConfiguration(resultBudgetCharacters: 4_000)
        try await Self.withNumbers(rows: 200, options: options) { harness, _ in
            let sql = "SELECT n, repeat('x', 100) AS filler, count(*) FROM numbers GROUP BY n ORDER BY n"
            let result = try await harness.query("ds", sql, limit: 200)
            #expect(result.truncated)
            #expect(result.rowCount > 0 && result.rowCount < 200)
            #expect(result.rows.map { $0.first } == (1...result.rowCount).map { JSONValue.int(Int64($0)) })
            #expect(result.warnings.contains { $0.code == "RESULT_BUDGET" && $0.hint?.contains("Aggregate") == true })
            let wire = try JSONEncoder().encode(result)
            #expect(wire.count <= 4_000, "the whole result fits the budget (\(wire.count) bytes)")

            let fits = try await harness.query("ds", "SELECT count(*) FROM numbers")
            #expect(!fits.truncated && fits.warnings.isEmpty)

            let huge = try await harness.query("ds", "SELECT repeat('y', 10000) AS big, count(*) FROM numbers")
            #expect(huge.rowCount == 0 && huge.truncated)
            #expect(huge.warnings.contains { $0.code == "RESULT_BUDGET" && $0.message.contains("first row alone") })
        }
    }

    @Test("a statement past the dataset's timeout is QUERY_TIMEOUT, and the dataset answers the next query")
    func statementTimeout() async throws {
        try await Self.withNumbers(settings: EngineHarness.settings(poolSize: 1, statementTimeoutMs: 300)) { harness, _ in
            let error = await expectError(.queryTimeout) {
                _ = try await harness.query("ds", "SELECT pg_sleep(3), count(*) FROM numbers")
            }
            #expect(error?.message.contains("300") == true || error?.message.lowercased().contains("timeout") == true)
            let next = try await harness.query("ds", "SELECT count(*) AS n FROM numbers")
            #expect(next.rows == [[20]])
            let entries = try await harness.logEntries()
            #expect(entries.map(\.errorCode).contains("QUERY_TIMEOUT"))
        }
    }

    @Test("a row-level query that cannot start fast stops at the raw-query timeout with a rewrite hint")
    func rawQueryTimeout() async throws {
        var options = EngineHarness.Options()
        options.engine = EngineConfiguration(rawQueryTimeout: .milliseconds(300))
        try await Self.withNumbers(options: options) { harness, _ in
            let error = await expectError(.queryTimeout) {
                _ = try await harness.query("ds", "SELECT n, pg_sleep(2) FROM numbers ORDER BY random()")
            }
            #expect(error?.details?["timeout_ms"] == 300)
            #expect(error?.details?["estimated_rows"]?.doubleValue != nil, "the planner's estimate is named")
            #expect(error?.hint?.contains("Aggregate") == true)
            // The same work aggregated gets the dataset's own (longer) timeout.
            let aggregated = try await harness.query("ds", "SELECT count(*) FROM (SELECT pg_sleep(0.05) FROM numbers WHERE n <= 10) s")
            #expect(aggregated.rows == [[10]])
        }
    }

    @Test("dataset lookup: unknown is DATASET_NOT_FOUND, not active is DATASET_NOT_ACTIVE with a hint")
    func datasetStates() async throws {
        try await Self.withNumbers { harness, database in
            await expectError(.datasetNotFound) { _ = try await harness.query("ghost", "SELECT 1") }
            try await harness.addDataset("pending", url: database.url, state: .humanReview)
            let pending = await expectError(.datasetNotActive) { _ = try await harness.query("pending", "SELECT 1") }
            #expect(pending?.details?["state"] == "human_review")
            #expect(pending?.hint?.contains("approves") == true)
            _ = try await harness.store.transitionDataset(id: "ds", to: .inactive, actor: "test", note: nil)
            try await eventually {
                do {
                    _ = try await harness.query("ds", "SELECT 1")
                    return false
                } catch let error as AnalyticsError {
                    #expect(error.code == .datasetNotActive)
                    #expect(error.hint?.contains("reactivate") == true)
                    return true
                }
            }
        }
    }

    @Test("only roles that may run queries can: viewers get ACCESS_DENIED, and it is logged")
    func authorisation() async throws {
        try await Self.withNumbers { harness, _ in
            await expectError(.accessDenied) { _ = try await harness.query("ds", "SELECT 1", as: EngineHarness.caller(.viewer)) }
            for role in [Role.analyst, .reviewer, .admin] {
                let result = try await harness.query("ds", "SELECT count(*) FROM numbers", as: EngineHarness.caller(role))
                #expect(result.rows == [[20]])
            }
            let entries = try await harness.logEntries()
            #expect(entries.first { $0.principalName == "test-viewer" }?.errorCode == "ACCESS_DENIED")
        }
    }

    @Test("SQL errors from the database are coded and hold no connection details")
    func databaseErrors() async throws {
        try await Self.withNumbers { harness, database in
            let missing = await expectError(.queryFailed) { _ = try await harness.query("ds", "SELECT count(*) FROM no_such_table") }
            #expect(missing?.message.contains("no_such_table") == true)
            #expect(missing?.message.contains(database.url.password ?? "\u{0}") == false)
            await expectError(.sqlNotReadOnly) { _ = try await harness.query("ds", "DELETE FROM numbers") }
            await expectError(.sqlForbiddenFunction) { _ = try await harness.query("ds", "SELECT pg_read_file('/etc/passwd')") }
            // The test login is a superuser: only the guard stands between it and the password hashes.
            await expectError(.sqlForbiddenRelation) { _ = try await harness.query("ds", "SELECT rolname, rolpassword FROM pg_authid") }
            let rows = try await ConnectorFixtures.int("SELECT count(*) FROM numbers", on: database.url)
            #expect(rows == 20, "nothing was deleted")
        }
    }

    @Test("every execution is logged with what the audit needs")
    func logging() async throws {
        try await Self.withNumbers { harness, _ in
            let caller = CallerContext(
                principal: Principal(id: "tok-1", name: "alice", role: .analyst),
                clientName: "claude-ai",
                clientVersion: "0.9",
                tool: "execute_sql",
                promptHash: "abc123"
            )
            let ok = try await harness.query(
                "ds",
                "SELECT label, count(*) FROM numbers WHERE n > 3 GROUP BY label",
                limit: 5,
                persona: "Female 25-34",
                as: caller
            )
            await expectError(.sqlParseError) { _ = try await harness.query("ds", "SELEC 1", as: caller) }
            let entries = try await harness.logEntries()
            #expect(entries.count == 2)
            let entry = try #require(entries.first { $0.status == .ok })
            #expect(entry.id == ok.queryID)
            #expect(entry.principalID == "tok-1" && entry.principalName == "alice")
            #expect(entry.clientName == "claude-ai" && entry.clientVersion == "0.9")
            #expect(entry.tool == "execute_sql" && entry.promptHash == "abc123" && entry.persona == "Female 25-34")
            #expect(entry.datasetIDs == ["ds"])
            #expect(entry.normalizedSQL == "SELECT label, count(*) FROM numbers WHERE n > $1 GROUP BY label")
            #expect(entry.fingerprint == (try SQLGuard().analyze("SELECT label, count(*) FROM numbers WHERE n > 99 GROUP BY label")).fingerprint)
            #expect(entry.rows == 5 && entry.bytes > 0 && !entry.cached && entry.planID == nil)
            let failed = try #require(entries.first { $0.status == .error })
            #expect(failed.errorCode == "SQL_PARSE_ERROR" && failed.normalizedSQL == nil && failed.rows == 0)
        }
    }

    @Test("inspectors add warnings, and one that throws refuses the query")
    func inspectors() async throws {
        var options = EngineHarness.Options()
        options.inspectors = [
            { analysis, dataset, _ in
                analysis.relations.contains { $0.name == "numbers" }
                    ? [QueryWarning(code: "UNWEIGHTED_AGGREGATE", message: "numbers on \(dataset.id) has no weight")] : []
            },
            { analysis, _, request in
                if request.persona == "blocked", analysis.isAggregated {
                    throw AnalyticsError(.unweightedAggregate, "blocked by policy")
                }
                return []
            },
        ]
        try await Self.withNumbers(options: options) { harness, _ in
            let warned = try await harness.query("ds", "SELECT count(*) FROM numbers")
            #expect(warned.warnings.map(\.code) == ["UNWEIGHTED_AGGREGATE"])
            #expect(warned.warnings.first?.message == "numbers on ds has no weight")
            let clean = try await harness.query("ds", "SELECT 1 AS one")
            #expect(clean.warnings.isEmpty)
            await expectError(.unweightedAggregate) { _ = try await harness.query("ds", "SELECT count(*) FROM numbers", persona: "blocked") }
            let entries = try await harness.logEntries()
            #expect(entries.contains { $0.errorCode == "UNWEIGHTED_AGGREGATE" && $0.fingerprint != nil })
        }
    }

    @Test("SQLite datasets answer through the same path")
    func sqliteDataset() async throws {
        try await EngineHarness.with { harness in
            let path = try TestSQLite.createSampleDatabase(at: harness.directory.file("panel.sqlite"), rows: 12)
            try await harness.addDataset("lite", url: try ConnectionURL("sqlite:" + path))
            let grouped = try await harness.query("lite", "SELECT gender, count(*) AS n FROM respondents GROUP BY gender ORDER BY gender")
            #expect(grouped.rows == [["Female", 6], ["Male", 6]])
            let raw = try await harness.query("lite", "SELECT respondent_id FROM respondents ORDER BY respondent_id", limit: 50)
            #expect(raw.rowCount == 5 && raw.truncated && raw.warnings.first?.code == "RAW_ROW_LIMIT")
            await expectError(.sqlNotReadOnly) { _ = try await harness.query("lite", "DELETE FROM respondents") }
        }
    }
}
