import AnalyticsServer
import ArgumentParser

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending metadata-store migrations (also done at start-up); safe to run repeatedly."
    )

    @OptionGroup var options: StoreOptions

    func run() async throws {
        try await self.reportingErrors {
            let configuration = try self.options.resolve()
            let logger = CommandLogging.bootstrap(configuration)
            let applied = try await StoreSession.with(url: configuration.store, logger: logger, migrate: false) { store in
                try await store.migrate()
            }
            print(applied.isEmpty ? "Store is up to date." : "Applied: \(applied.joined(separator: ", "))")
        }
    }
}
