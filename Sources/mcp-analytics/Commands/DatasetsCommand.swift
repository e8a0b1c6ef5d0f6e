import AnalyticsCore
import AnalyticsServer
import ArgumentParser
import ControlPlane
import Foundation
import MetadataStore

struct DatasetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets",
        abstract: "Register datasets and move them through review, directly on the store.",
        discussion: "Changes reach running servers on the same store within a second, through the store's change events.",
        subcommands: [Add.self, List.self, Show.self, Approve.self, Activate.self, Deactivate.self, Weighting.self]
    )

    /// Options shared by dataset subcommands.
    struct Common: ParsableArguments {
        @Option(help: "Email of the user recorded as the author of changes (default: the CLI operator, recorded as 'cli').")
        var actor: String?

        @Flag(help: "Print JSON instead of text.")
        var json = false

        @OptionGroup var options: StoreOptions

        /// Who the changes are recorded as: the user `--actor` names (with the operator's full rights,
        /// since the CLI works on the store directly), or the CLI operator.
        func principal(in store: any MetadataStore) async throws -> Principal {
            guard let actor = self.actor else {
                let user = ProcessInfo.processInfo.environment["USER"] ?? "operator"
                return Principal(id: "cli", name: "cli:\(user)", role: .admin)
            }
            guard let user = try await store.user(email: actor) else {
                throw AnalyticsError(.userNotFound, "No user with email '\(actor)'.", hint: "List users with `mcp-analytics users list`.")
            }
            return Principal(id: user.id, name: user.displayName, role: .admin)
        }

        /// Runs `body` with a dataset service on the configured store.
        func withService<T: Sendable>(_ body: @escaping @Sendable (DatasetService, Principal) async throws -> T) async throws -> T {
            let configuration = try self.options.resolve()
            let logger = CommandLogging.bootstrap(configuration)
            return try await StoreSession.with(url: configuration.store, logger: logger) { store in
                let principal = try await self.principal(in: store)
                let dependencies = try ServerRuntime.dependencies(configuration: configuration, store: store, logger: logger)
                return try await body(dependencies.datasetService, principal)
            }
        }

        func show(_ datasets: [Dataset]) throws {
            if self.json {
                print(String(decoding: try APIResponse.encoder.encode(datasets), as: UTF8.self))
            } else {
                for d in datasets {
                    print("\(d.id)\t\(d.state.rawValue)\tv\(d.version)\t\(d.name)\t\(d.redactedURL)")
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a dataset (checks connectivity; stores the URL encrypted).")

        @Option(help: "Display name.") var name: String
        @Option(help: "Connection URL: postgres://… or sqlite:PATH.") var url: String
        @Option(help: "Dataset id (default: derived from the name).") var id: String?
        @Option(help: "Description.") var description: String?
        @Option(help: "A tag (repeatable).") var tag: [String] = []
        @Option(help: "Owner.") var owner: String?
        @OptionGroup var common: Common

        func run() async throws {
            try await self.reportingErrors {
                let request = CreateDatasetRequest(
                    id: self.id,
                    name: self.name,
                    description: self.description,
                    connectionURL: self.url,
                    tags: self.tag,
                    owner: self.owner
                )
                let dataset = try await self.common.withService { service, principal in try await service.create(request, by: principal) }
                try self.common.show([dataset])
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List datasets.")

        @Option(help: "Only datasets in this state.") var state: String?
        @Option(help: "Only datasets with this tag.") var tag: String?
        @OptionGroup var common: Common

        func run() async throws {
            try await self.reportingErrors {
                let state = try self.state.map { raw in
                    guard let state = LifecycleState(rawValue: raw) else {
                        throw AnalyticsError.invalidRequest(
                            "Unknown state '\(raw)'.",
                            hint: "Use one of: \(LifecycleState.allCases.map(\.rawValue).joined(separator: ", "))."
                        )
                    }
                    return state
                }
                let tag = self.tag
                let datasets = try await self.common.withService { service, principal in
                    try await service.list(state: state, tag: tag, by: principal)
                }
                try self.common.show(datasets)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one dataset as JSON.")

        @Argument(help: "Dataset id.") var id: String
        @OptionGroup var common: Common

        func run() async throws {
            try await self.reportingErrors {
                let id = self.id
                let dataset = try await self.common.withService { service, principal in try await service.get(id, by: principal) }
                print(String(decoding: try APIResponse.encoder.encode(dataset), as: UTF8.self))
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a dataset in human_review; it becomes active at once.")

        @Argument(help: "Dataset id.") var id: String
        @Option(help: "Review note.") var note: String?
        @OptionGroup var common: Common

        func run() async throws {
            try await self.reportingErrors {
                let (id, note) = (self.id, self.note)
                let dataset = try await self.common.withService { service, principal in
                    try await service.approve(id, note: note, by: principal)
                }
                try self.common.show([dataset])
            }
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make an approved or inactive dataset active.")

        @Argument(help: "Dataset id.") var id: String
        @OptionGroup var common: Common

        func run() async throws {
            try await self.reportingErrors {
                let id = self.id
                let dataset = try await self.common.withService { service, principal in
                    try await service.transition(id, TransitionRequest(to: .active, note: "activated from the CLI"), by: principal)
                }
                try self.common.show([dataset])
            }
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take an active dataset offline (it stays registered).")

        @Argument(help: "Dataset id.") var id: String
        @OptionGroup var common: Common

        func run() async throws {
            try await self.reportingErrors {
                let id = self.id
                let dataset = try await self.common.withService { service, principal in
                    try await service.transition(id, TransitionRequest(to: .inactive, note: "deactivated from the CLI"), by: principal)
                }
                try self.common.show([dataset])
            }
        }
    }
}
