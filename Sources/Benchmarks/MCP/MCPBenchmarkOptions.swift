import AnalyticsCore
import AnalyticsServer
import Foundation

extension MCPBenchmark {
    /// What one `bench mcp` run measures and against which server.
    public struct Options: Sendable, Hashable {
        /// How long every session works in one measured phase.
        public enum Workload: Sendable, Hashable {
            /// This many calls per session.
            case calls(Int)
            /// Calls until this much time has passed since the phase started.
            case duration(Duration)
        }

        /// The server's base URL, e.g. `http://127.0.0.1:8080` (a trailing `/mcp` is accepted).
        public var baseURL: String
        /// A bearer token of a principal that may query `datasetID`; it is sent, never printed.
        public var token: String
        public var datasetID: String
        /// Concurrency levels, measured in this order on both paths.
        public var sessions: [Int]
        public var workload: Workload
        /// Unmeasured calls per path before the first phase: they prove the path works (a failure
        /// ends the run with the server's error) and warm the server's connection pools.
        public var warmupCalls: Int
        /// Longest one HTTP exchange may take before it counts as an error.
        public var requestTimeout: Duration
        /// What every call runs.
        public var statement: BenchStatement
        /// The dataset's own database: when given, the same statements also run straight through
        /// PostgresNIO as the floor (a URL is a secret: it is never printed).
        public var direct: ConnectionURL?
        /// Runs of the 30-query analyst prompt (``MCPBenchmark/promptStatements(constant:)``) per
        /// path; 0 leaves the prompt out.
        public var promptRuns: Int
        /// The server's process id, when it runs on this machine: its CPU time per call is reported.
        public var serverPID: Int32?

        public init(
            baseURL: String,
            token: String,
            datasetID: String = "demo",
            sessions: [Int] = [1, 16, 64],
            workload: Workload = .calls(200),
            warmupCalls: Int = 20,
            requestTimeout: Duration = .seconds(60),
            statement: BenchStatement = .weightedAggregate,
            direct: ConnectionURL? = nil,
            promptRuns: Int = 0,
            serverPID: Int32? = nil
        ) {
            self.baseURL = baseURL
            self.token = token
            self.datasetID = datasetID
            self.sessions = sessions
            self.workload = workload
            self.warmupCalls = warmupCalls
            self.requestTimeout = requestTimeout
            self.statement = statement
            self.direct = direct
            self.promptRuns = max(0, promptRuns)
            self.serverPID = serverPID
        }

        /// Most sessions one phase may open; the server's default session cap is 1,000.
        public static let maxSessions = 512

        /// Checks the options and returns the base URL without a trailing slash or `/mcp`.
        func validatedBaseURL() throws -> String {
            guard !self.sessions.isEmpty, self.sessions.allSatisfy({ (1...Self.maxSessions).contains($0) }) else {
                throw AnalyticsError.invalidRequest(
                    "Session counts must be from 1 to \(Self.maxSessions), got \(self.sessions).",
                    hint: "Example: --sessions 1,16,64"
                )
            }
            switch self.workload {
            case .calls(let calls) where calls < 1:
                throw AnalyticsError.invalidRequest("Calls per session must be at least 1, got \(calls).", hint: "Example: --calls 200")
            case .duration(let duration) where duration <= .zero:
                throw AnalyticsError.invalidRequest("The duration must be positive.", hint: "Example: --duration 10")
            default: break
            }
            guard self.warmupCalls >= 1 else {
                throw AnalyticsError.invalidRequest("Warm-up calls must be at least 1, got \(self.warmupCalls).", hint: "The default is 20.")
            }
            guard !self.token.isEmpty else {
                throw AnalyticsError(.unauthenticated, "No bearer token given.", hint: Self.tokenHint)
            }
            guard !self.datasetID.isEmpty else {
                throw AnalyticsError.invalidRequest("The dataset id is empty.", hint: "The demo panel of serve --demo is 'demo'.")
            }
            var base = self.baseURL.trimmingCharacters(in: .whitespaces)
            while base.hasSuffix("/") { base.removeLast() }
            if base.hasSuffix("/mcp") { base.removeLast(4) }
            guard let components = URLComponents(string: base), let scheme = components.scheme?.lowercased(),
                scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
                components.query == nil, components.fragment == nil
            else {
                throw AnalyticsError.invalidRequest(
                    "'\(self.baseURL)' is not an http(s) base URL.",
                    hint: "Pass the server's address, e.g. --url http://127.0.0.1:8080"
                )
            }
            return base
        }

        static let tokenHint = "Create one with: mcp-analytics tokens create --name bench --role analyst"
    }
}
