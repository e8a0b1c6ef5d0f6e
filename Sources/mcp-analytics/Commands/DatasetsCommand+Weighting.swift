import AnalyticsCore
import AnalyticsServer
import ArgumentParser
import ControlPlane
import Foundation

extension DatasetsCommand {
    /// `datasets weighting show|set ID`: a dataset's weighting config, directly on the store.
    struct Weighting: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "weighting",
            abstract: "Show or set a dataset's weighting config (respondents, weight, dimensions, merges, base rules).",
            discussion:
                "`set` checks the config against the live dataset (weight column numeric, no negative weights, columns and merged values exist) and stores it as a new version.",
            subcommands: [Show.self, Set.self]
        )

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print the weighting config as JSON.")

            @Argument(help: "Dataset id.") var id: String
            @OptionGroup var common: Common

            func run() async throws {
                try await self.reportingErrors {
                    let id = self.id
                    let document = try await self.common.withWeighting { service, principal in
                        try await service.config(id, by: principal).config.document
                    }
                    print(try Weighting.pretty(document))
                }
            }
        }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Validate a weighting config file against the dataset and store it.")

            @Argument(help: "Dataset id.") var id: String
            @Option(help: "JSON file holding the config document.") var file: String
            @Option(help: "Note recorded with the new version.") var note: String?
            @OptionGroup var common: Common

            func run() async throws {
                try await self.reportingErrors {
                    let data: Data
                    do {
                        data = try Data(contentsOf: URL(fileURLWithPath: self.file))
                    } catch {
                        throw AnalyticsError.invalidRequest("Could not read \(self.file).", hint: "Pass the path of a JSON file with --file.")
                    }
                    let document: JSONValue
                    do {
                        document = try JSONValue.parse(data)
                    } catch {
                        throw AnalyticsError(
                            .malformedJSON,
                            "\(self.file) is not valid JSON.",
                            hint: "Fix the file; see `datasets weighting show` for the shape."
                        )
                    }
                    let (id, note) = (self.id, self.note)
                    let (dataset, report) = try await self.common.withWeighting { service, principal in
                        try await service.setConfig(id, document: document, note: note ?? "set from the CLI", by: principal)
                    }
                    if self.common.json {
                        print(
                            try Weighting.pretty(
                                .object(["dataset_id": .string(id), "version": .int(Int64(dataset.version)), "validation": report.document])
                            )
                        )
                    } else {
                        print("\(id): weighting config stored as version \(dataset.version)")
                        for warning in report.warnings { print("warning: \(warning)") }
                    }
                }
            }
        }

        /// Indented JSON with sorted keys, for people reading and editing it.
        static func pretty(_ value: JSONValue) throws -> String {
            let object = try JSONSerialization.jsonObject(with: value.serializedData(), options: [.fragmentsAllowed])
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self)
        }
    }
}

extension DatasetsCommand.Common {
    /// Runs `body` with a weighting service whose connector registry runs for the duration.
    func withWeighting<T: Sendable>(_ body: @escaping @Sendable (WeightingService, Principal) async throws -> T) async throws -> T {
        let configuration = try self.options.resolve()
        let logger = CommandLogging.bootstrap(configuration)
        return try await StoreSession.with(url: configuration.store, logger: logger) { store in
            let principal = try await self.principal(in: store)
            let dependencies = try ServerRuntime.dependencies(configuration: configuration, store: store, logger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await dependencies.connectors.run() }
                defer { group.cancelAll() }
                return try await body(dependencies.weightingService, principal)
            }
        }
    }
}
