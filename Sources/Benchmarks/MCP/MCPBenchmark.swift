import AnalyticsCore
import AnalyticsServer
import AsyncHTTPClient
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// `mcp-analytics bench mcp`: what the MCP transport costs on top of the query engine.
///
/// At each concurrency level N, N MCP sessions over Streamable HTTP (each opened with `initialize`
/// and `notifications/initialized`) call `execute_sql` repeatedly; then N workers send the same
/// statements to `POST /api/query`, the REST engine path, and — given the database's URL — straight
/// to PostgreSQL through PostgresNIO, the floor, all measured in the same run. Optionally the
/// 30-query analyst prompt runs as one `run_query_plan`, one `POST /api/plans` and 30 statements in
/// flight directly.
/// Every statement carries a fresh constant, so the server's result cache never answers and both
/// paths do the same work. Speed is measured here and never asserted in tests (DESIGN §6).
public struct MCPBenchmark: Sendable {
    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    /// The `clientInfo.name` of the benchmark's sessions and its `User-Agent`; the query log shows it.
    public static let clientName = "mcp-analytics-bench"
    public static let clientVersion = BuildInfo.version

    /// Warms up and checks both paths, then measures every level; `status` receives one line per phase.
    /// Throws a coded ``AnalyticsError`` when the server cannot be reached, refuses the token, or the
    /// warm-up call fails; errors during measurement are counted in the report instead.
    public func run(status: @escaping @Sendable (String) -> Void = { _ in }) async throws -> MCPBenchmarkReport {
        let baseURL = try self.options.validatedBaseURL()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, min(4, System.coreCount)))
        let report: MCPBenchmarkReport
        do {
            report = try await self.run(on: group, baseURL: baseURL, status: status)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
        return report
    }

    func run(on group: MultiThreadedEventLoopGroup, baseURL: String, status: @escaping @Sendable (String) -> Void) async throws -> MCPBenchmarkReport
    {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)))
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, self.options.sessions.max() ?? 1)
        )
        // A refused connection on loopback is a wrong URL, not flakiness: fail at once instead of
        // retrying until the request times out.
        configuration.connectionPool.retryConnectionEstablishment = false
        return try await HTTPClient.withHTTPClient(eventLoopGroup: group, configuration: configuration) { client in
            let http = BenchHTTP(client: client, baseURL: baseURL, token: self.options.token, timeout: self.options.requestTimeout)
            return try await self.withDirectPath { direct in
                try await self.measureAll(http, direct: direct, baseURL: baseURL, status: status)
            }
        }
    }

    private func measureAll(
        _ http: BenchHTTP,
        direct: DirectQueryPath?,
        baseURL: String,
        status: @escaping @Sendable (String) -> Void
    ) async throws -> MCPBenchmarkReport {
        let constants = ConstantSource()
        status("warming up: \(self.options.warmupCalls) calls per path")
        try await self.warmUp(http, direct: direct, constants: constants)
        var levels: [MCPBenchmarkReport.Level] = []
        for sessions in self.options.sessions {
            status("\(sessions) session(s): MCP execute_sql")
            let cpuBefore = self.options.serverPID.flatMap(ProcessCPU.used(by:))
            let mcp = try await self.measureMCP(http, sessions: sessions, constants: constants)
            let cpuAfter = self.options.serverPID.flatMap(ProcessCPU.used(by:))
            status("\(sessions) session(s): POST /api/query")
            let rest = await self.measureREST(http, workers: sessions, constants: constants)
            var level = MCPBenchmarkReport.Level(sessions: sessions, mcp: mcp, rest: rest)
            if let direct {
                status("\(sessions) session(s): PostgresNIO directly")
                level.direct = await self.measure(workers: sessions) { _, _ in
                    await direct.execute(self.options.statement.sql(constant: constants.next()))
                }
            }
            if let cpuBefore, let cpuAfter, mcp.calls > 0 {
                level.serverCPUPerMCPCall = (cpuAfter - cpuBefore).inMilliseconds / Double(mcp.calls)
            }
            levels.append(level)
        }
        var prompt: MCPBenchmarkReport.Prompt?
        if self.options.promptRuns > 0 {
            status("the 30-query prompt, \(self.options.promptRuns) run(s) per path")
            prompt = try await self.measurePrompt(http, direct: direct, constants: constants)
        }
        return MCPBenchmarkReport(
            baseURL: baseURL,
            datasetID: self.options.datasetID,
            statement: self.options.statement.sql(literal: "<n>"),
            workload: self.options.workload,
            warmupCalls: self.options.warmupCalls,
            levels: levels,
            prompt: prompt
        )
    }

    /// Runs `body` with a PostgresNIO client on the dataset's database when the options name it.
    private func withDirectPath<T: Sendable>(_ body: @Sendable (DirectQueryPath?) async throws -> T) async throws -> T {
        guard let url = self.options.direct else { return try await body(nil) }
        var configuration = try PostgresClient.Configuration(url: url, applicationName: "mcp-analytics:bench-direct")
        configuration.options.maximumConnections = max(MCPBenchmark.promptQueries, self.options.sessions.max() ?? 1)
        configuration.options.minimumConnections = 0
        let logger = Logger(label: "mcp-analytics.bench.direct")
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(DirectQueryPath(client: client, logger: logger))
        }
    }
}
