import AnalyticsServer
import DataPlane

/// What `mcp-analytics bench mcp` measured: per concurrency level, the MCP path, the REST engine
/// path and (optionally) PostgresNIO straight to the database, measured in the same run against the
/// same server; optionally the 30-query prompt on each path.
public struct MCPBenchmarkReport: Sendable, Hashable {
    /// One path at one concurrency level.
    public struct PathFigures: Sendable, Hashable {
        /// Calls made, successful or not.
        public var calls: Int
        public var errors: Int
        /// Results the server said came from its result cache (the workload is built to avoid it).
        public var cached: Int
        /// The first error's message, as the server (or the HTTP client) gave it.
        public var firstError: String?
        /// Per-call latency, request sent to response read, in milliseconds.
        public var latency: BenchmarkSamples
        /// Wall time from the first call to the last answer, in seconds.
        public var seconds: Double

        public var callsPerSecond: Double { self.seconds > 0 ? Double(self.calls) / self.seconds : 0 }
        public var p50: Double { self.latency.quantile(0.5) }
        public var p99: Double { self.latency.quantile(0.99) }
    }

    /// Every path at one concurrency level.
    public struct Level: Sendable, Hashable {
        public var sessions: Int
        public var mcp: PathFigures
        public var rest: PathFigures
        /// The same statements straight through PostgresNIO, when the run had the database's URL.
        public var direct: PathFigures?
        /// The server's CPU time per MCP call, when its process id was given.
        public var serverCPUPerMCPCall: Double?
    }

    /// The 30-query analyst prompt: one `run_query_plan` over MCP, one `POST /api/plans`, and (with
    /// the database's URL) all 30 statements in flight at once through PostgresNIO; wall time per run.
    public struct Prompt: Sendable, Hashable {
        public var queries: Int
        public var mcp: PathFigures
        public var rest: PathFigures
        public var direct: PathFigures?
    }

    public var baseURL: String
    public var datasetID: String
    /// The statement shape every call runs (the constant differs per call).
    public var statement: String
    public var workload: MCPBenchmark.Options.Workload
    public var warmupCalls: Int
    public var levels: [Level]
    public var prompt: Prompt?

    /// Errors over every level and both paths.
    public var totalErrors: Int {
        let levels = self.levels.reduce(0) { $0 + $1.mcp.errors + $1.rest.errors + ($1.direct?.errors ?? 0) }
        guard let prompt = self.prompt else { return levels }
        return levels + prompt.mcp.errors + prompt.rest.errors + (prompt.direct?.errors ?? 0)
    }

    /// MCP value over REST value, when the baseline is positive.
    public static func ratio(_ mcp: Double, _ rest: Double) -> Double? { rest > 0 ? mcp / rest : nil }
}
