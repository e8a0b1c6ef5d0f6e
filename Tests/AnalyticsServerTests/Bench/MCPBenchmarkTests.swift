import AnalyticsCore
import AnalyticsServer
import Benchmarks
import Foundation
import NIOCore
import NIOPosix
import Testing

/// `bench mcp` against a live server on loopback with the demo panel: the figures it reports
/// must be consistent with the calls it made and with the server's query log, and a wrong token
/// or URL must end the run with a coded error. Speed itself is never asserted.
@Suite("bench mcp")
struct MCPBenchmarkTests {
    static let callsPerSession = 3
    static let levels = [1, 4]

    static func options(_ app: TestApp, token: String? = nil, url: String? = nil, dataset: String = "demo") throws -> MCPBenchmark.Options {
        let port = try #require(app.client.port)
        return MCPBenchmark.Options(
            baseURL: url ?? "http://127.0.0.1:\(port)",
            token: token ?? app.tokens[.analyst] ?? "",
            datasetID: dataset,
            sessions: Self.levels,
            workload: .calls(Self.callsPerSession),
            warmupCalls: 1,
            requestTimeout: .seconds(30)
        )
    }

    @Test("measures MCP and REST at each level with every call counted, timed and logged")
    func measuresBothPaths() async throws {
        try await TestApp.run(.sqlite, demo: true) { app in
            let report = try await MCPBenchmark(options: try Self.options(app)).run()

            #expect(report.totalErrors == 0, "\(report.levels.flatMap { [$0.mcp.firstError, $0.rest.firstError] })")
            #expect(report.levels.map(\.sessions) == Self.levels)
            for level in report.levels {
                for figures in [level.mcp, level.rest] {
                    let asked = level.sessions * Self.callsPerSession
                    #expect(figures.calls == asked)
                    #expect(figures.errors == 0)
                    #expect(figures.firstError == nil)
                    #expect(figures.cached == 0, "every statement carries a fresh constant")
                    #expect(figures.latency.count == asked)
                    #expect(figures.latency.milliseconds.allSatisfy { $0 > 0 })
                    #expect(figures.p50 > 0)
                    #expect(figures.p99 >= figures.p50)
                    #expect(figures.seconds > 0)
                    #expect(figures.callsPerSecond > 0)
                }
            }

            let measured = Self.levels.reduce(0, +) * Self.callsPerSession
            let expected = measured + 1
            let log = try await app.request(.get, "/api/queries?dataset_id=demo&limit=1000", as: .admin)
            #expect(log.status == .ok, "\(log.text)")
            let entries = log.json?["queries"]?.arrayValue ?? []
            let mcp = entries.filter { $0["tool"]?.stringValue == "execute_sql" }
            let rest = entries.filter { $0["tool"]?.stringValue == "POST /api/query" }
            #expect(mcp.count == expected, "measured MCP calls plus the warm-up call")
            #expect(rest.count == expected, "measured REST calls plus the warm-up call")
            #expect(mcp.allSatisfy { $0["client_name"]?.stringValue == MCPBenchmark.clientName && $0["status"]?.stringValue == "ok" })
            #expect(rest.allSatisfy { $0["status"]?.stringValue == "ok" && $0["cached"]?.boolValue == false })
            let statements = Set(entries.compactMap { $0["normalized_sql"]?.stringValue })
            #expect(statements.count == 1, "one statement shape, only its constant varies: \(statements)")
        }
    }

    @Test("the duration workload runs until the time is up and counts what it made")
    func durationWorkload() async throws {
        try await TestApp.run(.sqlite, demo: true) { app in
            var options = try Self.options(app)
            options.sessions = [2]
            options.workload = .duration(.milliseconds(300))
            let report = try await MCPBenchmark(options: options).run()
            let level = try #require(report.levels.first)
            for figures in [level.mcp, level.rest] {
                #expect(figures.errors == 0, "\(figures.firstError ?? "")")
                #expect(figures.calls >= 2, "each of the two workers makes at least one call")
                #expect(figures.latency.count == figures.calls)
                #expect(figures.seconds >= 0.3)
            }
        }
    }

    @Test("a bad token ends the run with UNAUTHENTICATED and never echoes the token")
    func badToken() async throws {
        try await TestApp.run(.sqlite, demo: true) { app in
            let token = "mcpa_not-a-real-token-0123456789"
            let error = await #expect(throws: AnalyticsError.self) {
                try await MCPBenchmark(options: try Self.options(app, token: token)).run()
            }
            #expect(error?.code == .unauthenticated)
            #expect(error?.message.contains("401") == true, "\(error?.message ?? "")")
            #expect(error.map { !$0.message.contains(token) && !($0.hint ?? "").contains(token) } == true)
        }
    }

    @Test("an unknown dataset ends the run with the server's DATASET_NOT_FOUND")
    func unknownDataset() async throws {
        try await TestApp.run(.sqlite, demo: true) { app in
            let error = await #expect(throws: AnalyticsError.self) {
                try await MCPBenchmark(options: try Self.options(app, dataset: "no_such_dataset")).run()
            }
            #expect(error?.code == .datasetNotFound, "\(String(describing: error))")
            #expect(error?.message.contains("execute_sql over MCP") == true)
        }
    }

    @Test("a URL where nothing listens is CONNECTION_FAILED, a wrong path NOT_FOUND, a non-http URL INVALID_REQUEST")
    func wrongURL() async throws {
        try await TestApp.run(.sqlite, demo: true) { app in
            let port = try #require(app.client.port)
            let closed = try await Self.closedPort()
            let refused = await #expect(throws: AnalyticsError.self) {
                try await MCPBenchmark(options: try Self.options(app, url: "http://127.0.0.1:\(closed)")).run()
            }
            #expect(refused?.code == .connectionFailed, "\(String(describing: refused))")
            #expect(refused?.message.contains("127.0.0.1:\(closed)") == true)

            let wrongPath = await #expect(throws: AnalyticsError.self) {
                try await MCPBenchmark(options: try Self.options(app, url: "http://127.0.0.1:\(port)/not-here")).run()
            }
            #expect(wrongPath?.code == .notFound, "\(String(describing: wrongPath))")

            for bad in ["ftp://127.0.0.1:\(port)", "127.0.0.1:\(port)", ""] {
                let invalid = await #expect(throws: AnalyticsError.self) {
                    try await MCPBenchmark(options: try Self.options(app, url: bad)).run()
                }
                #expect(invalid?.code == .invalidRequest, "\(bad): \(String(describing: invalid))")
            }
        }
    }

    @Test("options out of range are refused before any request")
    func badOptions() async throws {
        let base = MCPBenchmark.Options(baseURL: "http://127.0.0.1:9", token: "t")
        func changed(_ change: (inout MCPBenchmark.Options) -> Void) -> MCPBenchmark.Options {
            var options = base
            change(&options)
            return options
        }
        let cases = [
            changed { $0.sessions = [] },
            changed { $0.sessions = [0] },
            changed { $0.sessions = [MCPBenchmark.Options.maxSessions + 1] },
            changed { $0.workload = .calls(0) },
            changed { $0.workload = .duration(.zero) },
            changed { $0.warmupCalls = 0 },
            changed { $0.datasetID = "" },
        ]
        for options in cases {
            let error = await #expect(throws: AnalyticsError.self) { try await MCPBenchmark(options: options).run() }
            #expect(error?.code == .invalidRequest, "\(options)")
        }
        var noToken = base
        noToken.token = ""
        let error = await #expect(throws: AnalyticsError.self) { try await MCPBenchmark(options: noToken).run() }
        #expect(error?.code == .unauthenticated)
    }

    /// A loopback port that was free a moment ago: bound, read, and closed again.
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }
}
