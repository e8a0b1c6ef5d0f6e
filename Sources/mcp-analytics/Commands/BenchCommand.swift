import ArgumentParser

/// `mcp-analytics bench …`: benchmarks, reported as ratios against raw drivers measured in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run benchmarks (a benchmark, not a test: figures, targets and ratios against raw drivers).",
        subcommands: [BenchEngineCommand.self]
    )
}
