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

        public init(
            baseURL: String,
            token: String,
            datasetID: String = "demo",
            sessions: [Int] = [1, 16, 64],
            workload: Workload = .calls(200),
            warmupCalls: Int = 20,
            requestTimeout: Duration = .seconds(60)
        ) {
            self.baseURL = baseURL
            self.token = token
            self.datasetID = datasetID
            self.sessions = sessions
            self.workload = workload
            self.warmupCalls = warmupCalls
            self.requestTimeout = requestTimeout
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
