import AnalyticsCore
import AnalyticsServer
import ArgumentParser
import DataPlane
import DemoPanel
import Foundation

struct DemoDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-data",
        abstract: "Load the synthetic consumer panel into a PostgreSQL database (COPY; one transaction).",
        discussion: """
            Scale 1 is 2,000 respondents and about 220,000 TV-viewing events; scale 50 (the largest documented)
            is 100,000 respondents and about 10.7 million events, loaded in about a minute on a fast server.
            The URL's login needs CREATE on the current schema. Register the database afterwards with
            `mcp-analytics datasets add` using a read-only login.
            """
    )

    @Option(help: "Target database: postgres://user:password@host:port/db.")
    var postgres: String

    @Option(help: "Panel size; 1 = 2,000 respondents (fractions allowed, up to 1000).")
    var scale: Double = 1

    @Option(help: "Random seed; the same seed, scale and end date give the same rows.")
    var seed: UInt64 = DemoPanelSpec.defaultSeed

    @Option(help: "Months of viewing and purchase history (1-120); fewer months mean fewer events per respondent.")
    var months: Int = DemoPanelSpec.defaultMonths

    @Flag(help: "Replace the panel's tables if they exist (atomically).")
    var replace = false

    @OptionGroup var options: StoreOptions

    func run() async throws {
        try await self.reportingErrors {
            let configuration = try self.options.resolve()
            let logger = CommandLogging.bootstrap(configuration)
            let url = try ConnectionURL(self.postgres)
            var spec = DemoPanelSpec()
            spec.scale = self.scale
            spec.seed = self.seed
            spec.months = self.months
            try spec.validate()
            let started = ContinuousClock.now
            let counts = try await DemoPanelLoader(spec: spec, replaceExisting: self.replace, logger: logger).load(into: url) { progress in
                if progress.phase == .finished { return }
                FileHandle.standardError.write(Data("\r\(progress.phase.rawValue) \(progress.table ?? "") \(progress.totalRows) rows   ".utf8))
            }
            let elapsed = ContinuousClock.now - started
            let seconds = elapsed.inSeconds
            FileHandle.standardError.write(Data("\n".utf8))
            print("Loaded \(counts) into \(url.redacted) in \(String(format: "%.1f", seconds)) s.")
        }
    }
}
