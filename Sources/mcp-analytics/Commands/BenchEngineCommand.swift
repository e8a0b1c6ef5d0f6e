import AnalyticsCore
import AnalyticsServer
import ArgumentParser
import Benchmarks
import DataPlane
import Foundation
import Logging

struct BenchEngineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Benchmark the query engine against raw PostgresNIO on the demo panel.",
        discussion: """
            Loads the demo panel into the given PostgreSQL (skipped when it already holds it at that scale), then
            measures, with the same pool size on both sides: (a) the guarded path's added cost on a small weighted
            aggregate and the guard's parse alone, (b) 30 sub-queries of ~100 ms as one plan vs one by one, (c)
            SELECT * on tv_viewing with limit 100 vs raw LIMIT 101 and the process's peak memory growth, (d) a
            result-cache hit. Build with -c release for meaningful figures.
            """
    )

    @Option(help: "PostgreSQL URL whose login may create tables; the demo panel is loaded there.")
    var postgres: String

    @Option(help: "Demo panel scale (1 = 2,000 respondents, ~222k viewing events; 50 ≈ 10^7 events).")
    var scale: Double = 1

    @Option(help: "Repetitions of every scenario; medians are over all samples.")
    var runs: Int = 5

    @Option(help: "Pool size of the dataset and of the raw client.")
    var pool: Int = 8

    func run() async throws {
        try await self.reportingErrors {
            let url = try ConnectionURL(self.postgres)
            guard url.kind == .postgres else {
                throw AnalyticsError(
                    .invalidConnectionURL,
                    "bench engine needs a postgres:// URL.",
                    hint: "Example: postgres://user:secret@localhost:5432/bench"
                )
            }
            var logger = Logger(label: "mcp-analytics.bench")
            logger.logLevel = .warning
            let benchmark = EngineBenchmark(options: .init(url: url, scale: self.scale, runs: self.runs, pool: self.pool), logger: logger)
            let report = try await benchmark.run { line in
                FileHandle.standardError.write(Data(("… " + line + "\n").utf8))
            }
            print(Self.render(report))
        }
    }

    static func render(_ report: EngineBenchmarkReport) -> String {
        var lines = ["mcp-analytics bench engine"]
        lines += report.setup.map { "  \($0.name): \($0.value)" }
        lines.append("")
        let header = ["figure", "engine", "raw PostgresNIO", "ratio", "target", "met"]
        var rows: [[String]] = [header]
        for figure in report.figures {
            rows.append([
                figure.name,
                Self.number(figure.value, figure.unit),
                figure.baseline.map { Self.number($0, figure.unit) } ?? "—",
                figure.ratio.map { String(format: "%.2f×", $0) } ?? "—",
                figure.target,
                figure.met.map { $0 ? "yes" : "NO" } ?? "—",
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            lines.append(row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        let notes = report.figures.compactMap { figure in figure.note.map { "  \(figure.name): \($0)" } }
        if !notes.isEmpty {
            lines.append("")
            lines += notes
        }
        return lines.joined(separator: "\n")
    }

    static func number(_ value: Double, _ unit: String) -> String {
        let digits = value < 1 ? 3 : value < 100 ? 2 : 0
        return String(format: "%.\(digits)f \(unit)", value)
    }
}
