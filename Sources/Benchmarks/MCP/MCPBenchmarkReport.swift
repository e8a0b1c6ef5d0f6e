import AnalyticsServer
import DataPlane

/// What `mcp-analytics bench mcp` measured: per concurrency level, the MCP path and the REST
/// engine path (the baseline), measured in the same run against the same server.
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

    /// Both paths at one concurrency level.
    public struct Level: Sendable, Hashable {
        public var sessions: Int
        public var mcp: PathFigures
        public var rest: PathFigures
    }

    public var baseURL: String
    public var datasetID: String
    /// The statement shape every call runs (the constant differs per call).
    public var statement: String
    public var workload: MCPBenchmark.Options.Workload
    public var warmupCalls: Int
    public var levels: [Level]

    /// Errors over every level and both paths.
    public var totalErrors: Int { self.levels.reduce(0) { $0 + $1.mcp.errors + $1.rest.errors } }

    /// MCP value over REST value, when the baseline is positive.
    public static func ratio(_ mcp: Double, _ rest: Double) -> Double? { rest > 0 ? mcp / rest : nil }
}
