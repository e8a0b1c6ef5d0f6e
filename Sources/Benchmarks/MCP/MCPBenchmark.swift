import AnalyticsCore
import AnalyticsServer
import AsyncHTTPClient
import NIOCore
import NIOPosix

/// `mcp-analytics bench mcp`: what the MCP transport costs on top of the query engine.
///
/// At each concurrency level N, N MCP sessions over Streamable HTTP (each opened with `initialize`
/// and `notifications/initialized`) call `execute_sql` repeatedly; then N workers send the same
/// statements to `POST /api/query`, the REST engine path, as the baseline measured in the same run.
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

    /// The statement every call runs: a small weighted aggregate over the demo panel. The constant
    /// (at least 10^6, above every respondent id) keeps every respondent in the aggregate while
    /// making each statement distinct.
    public static func statement(constant: Int) -> String {
        Self.statement(literal: String(constant))
    }

    static func statement(literal: String) -> String {
        "SELECT region, SUM(weight) AS w FROM respondents WHERE respondent_id < \(literal) GROUP BY region"
    }

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
            let constants = ConstantSource()
            status("warming up: \(self.options.warmupCalls) calls per path")
            try await self.warmUp(http, constants: constants)
            var levels: [MCPBenchmarkReport.Level] = []
            for sessions in self.options.sessions {
                status("\(sessions) session(s): MCP execute_sql")
                let mcp = try await self.measureMCP(http, sessions: sessions, constants: constants)
                status("\(sessions) session(s): POST /api/query")
                let rest = await self.measureREST(http, workers: sessions, constants: constants)
                levels.append(.init(sessions: sessions, mcp: mcp, rest: rest))
            }
            return MCPBenchmarkReport(
                baseURL: baseURL,
                datasetID: self.options.datasetID,
                statement: Self.statement(literal: "<n>"),
                workload: self.options.workload,
                warmupCalls: self.options.warmupCalls,
                levels: levels
            )
        }
    }
}
