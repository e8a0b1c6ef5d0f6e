import ArgumentParser
import Benchmarks

/// Benchmarks (DESIGN §6: speed is measured here, never asserted in tests). Each subcommand
/// prints its figures and the ratios that matter.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure how fast parts of the server are on a real PostgreSQL.",
        subcommands: [BenchProfileCommand.self, BenchEngineCommand.self, BenchMCPCommand.self]
    )
}
