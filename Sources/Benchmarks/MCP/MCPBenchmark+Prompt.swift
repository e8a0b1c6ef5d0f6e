import AnalyticsCore

extension MCPBenchmark {
    /// Sub-queries of the analyst prompt.
    public static let promptQueries = 30

    /// The 30 statements of a typical analyst prompt ("how do our segments differ?"): for each of
    /// five respondent dimensions, a weighted share, a weighted mean, weighted viewing minutes and
    /// sessions by genre over the event table, weighted spend over the purchases, and a weighted
    /// count with its base. `constant` (above every respondent id) makes them new to the server.
    public static func promptStatements(constant: Int) -> [String] {
        let bound = "r.respondent_id < \(constant)"
        return ["gender", "age_band", "nccs", "region", "city_tier"].flatMap { dimension in
            let column = "r.\(dimension)"
            return [
                "SELECT \(column), SUM(r.weight) / SUM(SUM(r.weight)) OVER () AS share FROM respondents r WHERE \(bound) GROUP BY \(column)",
                "SELECT \(column), SUM(r.weight * r.household_size) / SUM(r.weight) AS mean_household FROM respondents r WHERE \(bound) GROUP BY \(column)",
                "SELECT \(column), SUM(r.weight * v.minutes) / SUM(r.weight) AS weighted_minutes FROM tv_viewing v JOIN respondents r ON r.respondent_id = v.respondent_id WHERE \(bound) GROUP BY \(column)",
                "SELECT \(column), v.genre, SUM(r.weight) AS weighted_sessions FROM tv_viewing v JOIN respondents r ON r.respondent_id = v.respondent_id WHERE \(bound) GROUP BY \(column), v.genre",
                "SELECT \(column), SUM(r.weight * p.amount) / SUM(r.weight) AS weighted_spend FROM purchases p JOIN respondents r ON r.respondent_id = p.respondent_id WHERE \(bound) GROUP BY \(column)",
                "SELECT \(column), COUNT(*) AS n, SUM(r.weight) AS weighted_base FROM respondents r WHERE \(bound) GROUP BY \(column)",
            ]
        }
    }

    /// Each path answers the whole prompt `promptRuns` times, one prompt at a time; a sample is the
    /// wall time of one prompt.
    func measurePrompt(_ http: BenchHTTP, direct: DirectQueryPath?, constants: ConstantSource) async throws -> MCPBenchmarkReport.Prompt {
        let datasetID = self.options.datasetID
        let session = try await MCPBenchSession.open(http)
        let mcp = await self.measureRuns { index in
            let queries = Self.promptStatements(constant: constants.next()).enumerated().map { step, sql -> JSONValue in
                ["id": .string("q\(step + 1)"), "dataset_id": .string(datasetID), "sql": .string(sql)]
            }
            return await session.callTool("run_query_plan", arguments: ["plan": ["queries": .array(queries)]], id: index + 1)
        }
        await session.close()
        let rest = await self.measureRuns { _ in
            let queries = Self.promptStatements(constant: constants.next()).enumerated().map { step, sql -> JSONValue in
                ["id": .string("q\(step + 1)"), "dataset_id": .string(datasetID), "sql": .string(sql)]
            }
            do {
                let reply = try await http.send(.post, "/api/plans", body: JSONValue.object(["queries": .array(queries)]).serialized())
                return (BenchCallOutcome.plan(reply), reply.elapsed)
            } catch {
                return (.unreachable(error), nil)
            }
        }
        var figures = MCPBenchmarkReport.Prompt(queries: Self.promptQueries, mcp: mcp, rest: rest)
        if let direct {
            figures.direct = await self.measureRuns { _ in
                let started = ContinuousClock.now
                let outcomes = await withTaskGroup(of: BenchCallOutcome.self) { group in
                    for sql in Self.promptStatements(constant: constants.next()) {
                        group.addTask { await direct.execute(sql).0 }
                    }
                    var outcomes: [BenchCallOutcome] = []
                    for await outcome in group { outcomes.append(outcome) }
                    return outcomes
                }
                let failed = outcomes.first { if case .failed = $0 { true } else { false } }
                return (failed ?? .ok(cached: false), ContinuousClock.now - started)
            }
        }
        return figures
    }

    /// `promptRuns` calls one after another, tallied like a one-worker phase.
    private func measureRuns(_ call: @escaping @Sendable (Int) async -> (BenchCallOutcome, Duration?)) async -> MCPBenchmarkReport.PathFigures {
        var runs = self
        runs.options.workload = .calls(self.options.promptRuns)
        return await runs.measure(workers: 1) { _, index in await call(index) }
    }
}
