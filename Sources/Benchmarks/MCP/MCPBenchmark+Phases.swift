import AnalyticsCore
import AnalyticsServer
import DataPlane

extension MCPBenchmark {
    /// Proves both paths work with one session and warms the server; the first failure ends the run.
    func warmUp(_ http: BenchHTTP, direct: DirectQueryPath?, constants: ConstantSource) async throws {
        let session = try await MCPBenchSession.open(http)
        do {
            for index in 0..<self.options.warmupCalls {
                let sql = self.options.statement.sql(constant: constants.next())
                let (outcome, _) = await session.executeSQL(sql, datasetID: self.options.datasetID, id: index + 1)
                try Self.requireSuccess(outcome, path: "execute_sql over MCP")
            }
        } catch {
            await session.close()
            throw error
        }
        await session.close()
        let rest = RESTQueryPath(http: http)
        for _ in 0..<self.options.warmupCalls {
            let (outcome, _) = await rest.execute(self.options.statement.sql(constant: constants.next()), datasetID: self.options.datasetID)
            try Self.requireSuccess(outcome, path: "POST /api/query")
        }
        if let direct {
            for _ in 0..<self.options.warmupCalls {
                let (outcome, _) = await direct.execute(self.options.statement.sql(constant: constants.next()))
                try Self.requireSuccess(outcome, path: "PostgresNIO")
            }
        }
    }

    static func requireSuccess(_ outcome: BenchCallOutcome, path: String) throws {
        guard case .failed(let code, let message) = outcome else { return }
        let hint =
            code == .unauthenticated
            ? Options.tokenHint
            : "Check the dataset id (serve --demo registers 'demo') and that the token's role may query it."
        throw AnalyticsError(code ?? .connectionFailed, "The warm-up call of \(path) failed: \(message)", hint: hint)
    }

    /// Opens `sessions` MCP sessions, measures their calls, and ends them.
    func measureMCP(_ http: BenchHTTP, sessions count: Int, constants: ConstantSource) async throws -> MCPBenchmarkReport.PathFigures {
        let sessions = try await Self.openSessions(http, count: count)
        let datasetID = self.options.datasetID
        let statement = self.options.statement
        let figures = await self.measure(workers: count) { worker, index in
            await sessions[worker].executeSQL(statement.sql(constant: constants.next()), datasetID: datasetID, id: index + 1)
        }
        await withTaskGroup(of: Void.self) { group in
            for session in sessions { group.addTask { await session.close() } }
        }
        return figures
    }

    /// Opens sessions concurrently; when one fails, closes those that opened and rethrows.
    static func openSessions(_ http: BenchHTTP, count: Int) async throws -> [MCPBenchSession] {
        var opened: [MCPBenchSession] = []
        var failure: (any Error)?
        await withTaskGroup(of: Result<MCPBenchSession, any Error>.self) { group in
            for _ in 0..<count {
                group.addTask {
                    do { return .success(try await MCPBenchSession.open(http)) } catch { return .failure(error) }
                }
            }
            for await result in group {
                switch result {
                case .success(let session): opened.append(session)
                case .failure(let error): failure = failure ?? error
                }
            }
        }
        if let failure {
            await withTaskGroup(of: Void.self) { group in
                for session in opened { group.addTask { await session.close() } }
            }
            throw failure
        }
        return opened
    }

    func measureREST(_ http: BenchHTTP, workers: Int, constants: ConstantSource) async -> MCPBenchmarkReport.PathFigures {
        let rest = RESTQueryPath(http: http)
        let datasetID = self.options.datasetID
        let statement = self.options.statement
        return await self.measure(workers: workers) { _, _ in
            await rest.execute(statement.sql(constant: constants.next()), datasetID: datasetID)
        }
    }

    /// Runs `workers` concurrent loops of `call(worker, index)` under the workload and tallies them.
    func measure(
        workers: Int,
        call: @escaping @Sendable (Int, Int) async -> (BenchCallOutcome, Duration?)
    ) async -> MCPBenchmarkReport.PathFigures {
        let workload = self.options.workload
        let start = ContinuousClock.now
        let tallies = await withTaskGroup(of: (Int, Tally).self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var tally = Tally()
                    var index = 0
                    while Self.continues(workload, index: index, start: start) {
                        let (outcome, latency) = await call(worker, index)
                        tally.record(outcome, latency: latency)
                        index += 1
                    }
                    return (worker, tally)
                }
            }
            var tallies: [(Int, Tally)] = []
            for await tally in group { tallies.append(tally) }
            return tallies.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let elapsed = ContinuousClock.now - start
        var latency = BenchmarkSamples()
        for tally in tallies { for sample in tally.latencies { latency.append(sample) } }
        return MCPBenchmarkReport.PathFigures(
            calls: tallies.reduce(0) { $0 + $1.calls },
            errors: tallies.reduce(0) { $0 + $1.errors },
            cached: tallies.reduce(0) { $0 + $1.cached },
            firstError: tallies.lazy.compactMap(\.firstError).first,
            latency: latency,
            seconds: elapsed.inSeconds
        )
    }

    static func continues(_ workload: Options.Workload, index: Int, start: ContinuousClock.Instant) -> Bool {
        switch workload {
        case .calls(let calls): index < calls
        case .duration(let duration): ContinuousClock.now - start < duration
        }
    }

    /// One worker's counts.
    struct Tally: Sendable {
        var calls = 0
        var errors = 0
        var cached = 0
        var firstError: String?
        var latencies: [Duration] = []

        mutating func record(_ outcome: BenchCallOutcome, latency: Duration?) {
            self.calls += 1
            if let latency { self.latencies.append(latency) }
            switch outcome {
            case .ok(let cached): if cached { self.cached += 1 }
            case .failed(_, let message):
                self.errors += 1
                if self.firstError == nil { self.firstError = message }
            }
        }
    }
}
