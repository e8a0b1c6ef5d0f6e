import AnalyticsCore
import AnalyticsServer
import ArgumentParser
import Benchmarks
import Foundation

struct BenchMCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Benchmark execute_sql over MCP (Streamable HTTP) against REST and PostgreSQL directly on a running server.",
        discussion: """
            At each session count N, opens N MCP sessions (initialize + notifications/initialized) that call
            tools/call execute_sql concurrently, then sends the same statements from N concurrent workers to
            POST /api/query and, with --postgres, straight to the database through PostgresNIO (the floor),
            in the same run. Every statement (--statement) runs over the demo panel with a fresh constant, so
            the result cache never answers. --prompt-runs adds the 30-query analyst prompt as one
            run_query_plan, one POST /api/plans and 30 statements in flight directly. Reports calls/s, p50/p99
            latency, errors, the server's CPU per call (--server-pid) and the ratios. Run against a release
            build for meaningful figures; scripts/bench-realistic.sh sets up a 200k-respondent panel.
            """
    )

    @Option(help: "The server's base URL, e.g. http://127.0.0.1:8080.")
    var url: String

    @Option(help: "Bearer token (analyst or admin), e.g. from `mcp-analytics tokens create --name bench --role analyst`.")
    var token: String

    @Option(help: "Dataset the statements run on; serve --demo registers 'demo'.")
    var dataset: String = "demo"

    @Option(help: "Comma-separated concurrency levels.")
    var sessions: String = "1,16,64"

    @Option(help: "Calls per session at each level (default 200 unless --duration is given).")
    var calls: Int?

    @Option(help: "Seconds every level runs on each path, instead of --calls.")
    var duration: Double?

    @Option(help: "Unmeasured calls per path first, to check the paths and warm the server.")
    var warmup: Int = 20

    @Option(help: "What every call runs: weighted-aggregate, weighted-share (parallel-plan size on a large panel) or select-1.")
    var statement: BenchStatement = .weightedAggregate

    @Option(help: "The dataset's PostgreSQL URL: the same statements also run straight through PostgresNIO, the floor.")
    var postgres: String?

    @Option(
        name: .customLong("prompt-runs"),
        help: "Runs of the 30-query analyst prompt per path (run_query_plan, POST /api/plans, direct); 0 skips it."
    )
    var promptRuns: Int = 0

    @Option(name: .customLong("server-pid"), help: "The server's process id on this machine, to report its CPU time per MCP call.")
    var serverPID: Int32?

    func validate() throws {
        if self.calls != nil && self.duration != nil {
            throw ValidationError("Give either --calls or --duration, not both.")
        }
        _ = try self.sessionCounts()
    }

    func sessionCounts() throws -> [Int] {
        let parts = self.sessions.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let counts = parts.compactMap { Int($0) }
        guard !parts.isEmpty, counts.count == parts.count else {
            throw ValidationError("--sessions must be comma-separated integers, e.g. 1,16,64; got '\(self.sessions)'.")
        }
        return counts
    }

    func run() async throws {
        try await self.reportingErrors {
            let workload: MCPBenchmark.Options.Workload =
                if let duration = self.duration {
                    .duration(.milliseconds(Int64((duration * 1_000).rounded())))
                } else {
                    .calls(self.calls ?? 200)
                }
            let options = MCPBenchmark.Options(
                baseURL: self.url,
                token: self.token,
                datasetID: self.dataset,
                sessions: try self.sessionCounts(),
                workload: workload,
                warmupCalls: self.warmup,
                statement: self.statement,
                direct: try self.postgres.map { try ConnectionURL($0) },
                promptRuns: self.promptRuns,
                serverPID: self.serverPID
            )
            let report = try await MCPBenchmark(options: options).run { line in
                FileHandle.standardError.write(Data(("… " + line + "\n").utf8))
            }
            print(Self.render(report))
        }
    }

    static func render(_ report: MCPBenchmarkReport) -> String {
        var lines = ["mcp-analytics bench mcp"]
        lines.append("  server: \(report.baseURL)")
        lines.append("  dataset: \(report.datasetID)")
        lines.append("  statement: \(report.statement)")
        switch report.workload {
        case .calls(let calls): lines.append("  workload: \(calls) calls per session per path, after \(report.warmupCalls) warm-up calls")
        case .duration(let duration): lines.append("  workload: \(duration) per level per path, after \(report.warmupCalls) warm-up calls")
        }
        lines.append("")
        let hasDirect = report.levels.contains { $0.direct != nil }
        var header = ["sessions", "figure", "MCP", "REST /api/query", "MCP/REST"]
        if hasDirect { header += ["direct", "MCP/direct"] }
        var rows: [[String]] = [header]
        for level in report.levels {
            let (mcp, rest, direct) = (level.mcp, level.rest, level.direct)
            let n = String(level.sessions)
            rows.append(
                [
                    n, "calls/s", Self.number(mcp.callsPerSecond), Self.number(rest.callsPerSecond),
                    Self.ratio(mcp.callsPerSecond, rest.callsPerSecond),
                ]
                    + Self.directCells(direct?.callsPerSecond, mcp.callsPerSecond, unit: "", when: hasDirect)
            )
            rows.append(
                [n, "p50", Self.number(mcp.p50) + " ms", Self.number(rest.p50) + " ms", Self.ratio(mcp.p50, rest.p50)]
                    + Self.directCells(direct?.p50, mcp.p50, unit: " ms", when: hasDirect)
            )
            rows.append(
                [n, "p99", Self.number(mcp.p99) + " ms", Self.number(rest.p99) + " ms", Self.ratio(mcp.p99, rest.p99)]
                    + Self.directCells(direct?.p99, mcp.p99, unit: " ms", when: hasDirect)
            )
            rows.append(
                [n, "errors", "\(mcp.errors)/\(mcp.calls)", "\(rest.errors)/\(rest.calls)", "—"]
                    + (hasDirect ? [direct.map { "\($0.errors)/\($0.calls)" } ?? "—", "—"] : [])
            )
            if let cpu = level.serverCPUPerMCPCall {
                rows.append([n, "server CPU", Self.number(cpu) + " ms/call", "—", "—"] + (hasDirect ? ["—", "—"] : []))
            }
        }
        if let prompt = report.prompt {
            let label = "prompt×\(prompt.queries)"
            rows.append(
                [
                    label, "p50", Self.number(prompt.mcp.p50) + " ms", Self.number(prompt.rest.p50) + " ms",
                    Self.ratio(prompt.mcp.p50, prompt.rest.p50),
                ]
                    + Self.directCells(prompt.direct?.p50, prompt.mcp.p50, unit: " ms", when: hasDirect)
            )
            rows.append(
                [label, "errors", "\(prompt.mcp.errors)/\(prompt.mcp.calls)", "\(prompt.rest.errors)/\(prompt.rest.calls)", "—"]
                    + (hasDirect ? [prompt.direct.map { "\($0.errors)/\($0.calls)" } ?? "—", "—"] : [])
            )
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
            lines.append(String(cells.joined(separator: "  ").reversed().drop { $0 == " " }.reversed()))
        }
        var notes: [String] = []
        for level in report.levels {
            for (path, figures) in [("MCP", level.mcp), ("REST", level.rest)] + (level.direct.map { [("direct", $0)] } ?? []) {
                if let first = figures.firstError { notes.append("  \(level.sessions) session(s), \(path): first error: \(first)") }
                if figures.cached > 0 { notes.append("  \(level.sessions) session(s), \(path): \(figures.cached) results came from the cache") }
            }
        }
        if !notes.isEmpty {
            lines.append("")
            lines += notes
        }
        return lines.joined(separator: "\n")
    }

    /// The direct column and the MCP/direct ratio, when the run had a direct path.
    static func directCells(_ direct: Double?, _ mcp: Double, unit: String, when present: Bool) -> [String] {
        guard present else { return [] }
        guard let direct else { return ["—", "—"] }
        return [Self.number(direct) + unit, Self.ratio(mcp, direct)]
    }

    static func number(_ value: Double) -> String {
        let digits = value < 1 ? 3 : value < 100 ? 2 : 0
        return String(format: "%.\(digits)f", value)
    }

    static func ratio(_ mcp: Double, _ rest: Double) -> String {
        MCPBenchmarkReport.ratio(mcp, rest).map { String(format: "%.2f×", $0) } ?? "—"
    }
}
extension BenchStatement: ExpressibleByArgument {}
