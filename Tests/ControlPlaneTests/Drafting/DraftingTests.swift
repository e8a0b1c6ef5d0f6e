import AnalyticsCore
import ControlPlane
import Foundation
import LLMClient
import MetadataStore
import TestSupport
import Testing

/// Metadata drafting from a real profile: offline, and online against the fake OpenAI server
/// (invented tables and columns dropped and reported, malformed JSON retried, then a clear failure
/// that sends the onboarding dataset back to `draft` with a review item).
@Suite("Metadata drafting")
struct DraftingTests {
    static let setup = [
        "CREATE TABLE respondents (respondent_id INTEGER PRIMARY KEY, gender TEXT NOT NULL, weight REAL NOT NULL)",
        "INSERT INTO respondents VALUES "
            + (1...60).map { "(\($0), '\($0 % 2 == 0 ? "Female" : "Male")', \(0.5 + Double($0 % 5) * 0.25))" }
            .joined(separator: ", "),
        "CREATE TABLE purchases (purchase_id INTEGER PRIMARY KEY, respondent_id INTEGER REFERENCES respondents(respondent_id), amount REAL)",
        "INSERT INTO purchases VALUES " + (1...90).map { "(\($0), \($0 % 60 + 1), \(Double($0) * 1.5))" }.joined(separator: ", "),
    ]

    /// A store with dataset `panel` profiled once from a real SQLite dataset.
    static func withProfiledDataset<T: Sendable>(_ body: (any MetadataStore, DatasetProfile) async throws -> T) async throws -> T {
        try await StoreFixtures.withStore(.sqlite) { store in
            try await ProfilingFixtures.withDataset(.sqlite, setup: Self.setup) { dataset in
                try await StoreFixtures.register("panel", kind: .sqlite, in: store)
                let profiling = ProfilingService(
                    store: store,
                    connectors: FixedConnectorProvider(connector: dataset.connector),
                    logger: ProfilingFixtures.logger
                )
                let run = try await profiling.run(datasetID: "panel", by: StoreFixtures.reviewer)
                return try await body(store, run.profile)
            }
        }
    }

    static func configuration(_ server: FakeOpenAIServer, maxRetries: Int = 2) -> LLMConfiguration {
        LLMConfiguration(
            baseURL: server.baseURL,
            apiKey: LLMAPIKey("sk-test-drafting-7c1d"),
            apiKeySource: "test",
            model: "primary-model",
            requestTimeout: .seconds(10),
            maxRetries: maxRetries,
            backoffBase: .milliseconds(5),
            backoffCap: .milliseconds(20)
        )
    }

    /// Runs `body` with an online drafting service on the fake, and shuts its HTTP client down.
    static func withOnlineDrafting<T: Sendable>(
        _ store: any MetadataStore,
        _ server: FakeOpenAIServer,
        _ body: (DraftingService, any LanguageModel) async throws -> T
    ) async throws -> T {
        let client = LLMHTTPClient()
        let model = try #require(
            client.makeModel(
                configuration: Self.configuration(server),
                usageRecorder: StoreUsageRecorder(store: store, logger: ProfilingFixtures.logger),
                logger: ProfilingFixtures.logger
            )
        )
        do {
            let result = try await body(DraftingService(store: store, model: model, logger: ProfilingFixtures.logger), model)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test("offline drafts document exactly the profiled tables and columns, deterministically")
    func offlineDraft() async throws {
        try await Self.withProfiledDataset { store, profile in
            let service = DraftingService(store: store, model: nil, logger: ProfilingFixtures.logger)
            #expect(service.isOffline)
            let outcome = try await service.draft(datasetID: "panel")
            #expect(outcome.generator == .offline)
            #expect(outcome.author == "offline-drafter")
            #expect(outcome.model == nil && outcome.usage == nil)
            #expect(outcome.profileVersion == profile.version)
            #expect(outcome.validation.isClean, "the offline drafter documents what the profile has: \(outcome.validation)")
            #expect(outcome.draft.dataDictionary.map(\.table) == profile.tables.map(\.qualifiedName))
            for (entry, table) in zip(outcome.draft.dataDictionary, profile.tables) {
                #expect(entry.columns.map(\.name) == table.columns.map(\.name))
                #expect(entry.columns.allSatisfy { !$0.description.isEmpty })
            }
            #expect(!outcome.draft.summary.isEmpty)
            #expect(!outcome.draft.description.isEmpty)
            #expect(!outcome.draft.useCases.isEmpty)
            let again = try await service.draft(datasetID: "panel")
            #expect(again.draft == outcome.draft, "the same profile drafts the same documentation")

            let document = outcome.metadataDocument()
            #expect(document["provenance"]?["author"] == "offline-drafter")
            #expect(document["provenance"]?["profile_version"] == .int(Int64(profile.version)))
            #expect(document["data_dictionary"]?.arrayValue?.count == profile.tables.count)

            await expectError(.datasetNotFound) { try await service.draft(datasetID: "ghost") }
            try await StoreFixtures.register("unprofiled", kind: .sqlite, in: store)
            await expectError(.profileNotFound) { try await service.draft(datasetID: "unprofiled") }
        }
    }

    @Test("a model's invented table and column are dropped and reported; what it left out is completed from the profile")
    func inventedColumnsAreDropped() async throws {
        try await Self.withProfiledDataset { store, profile in
            let respondents = try #require(profile.tables.first { $0.name == "respondents" }).qualifiedName
            let purchases = try #require(profile.tables.first { $0.name == "purchases" }).qualifiedName
            let answer: JSONValue = [
                "summary": "A small consumer panel with purchases.",
                "description": "Respondents with survey weights and their purchases.",
                "data_dictionary": [
                    [
                        "table": .string(respondents),
                        "description": "One row per respondent.",
                        "columns": [
                            ["name": "respondent_id", "description": "Respondent key.", "semantic_type": "identifier", "pii": false],
                            ["name": "GENDER", "description": "Self-reported gender.", "semantic_type": "category", "pii": false],
                            ["name": "favourite_colour", "description": "Invented.", "semantic_type": "category", "pii": false],
                        ],
                    ],
                    ["table": "loyalty_cards", "description": "Invented table.", "columns": []],
                ],
                "use_cases": ["Share of purchasers by gender."],
                "quality_notes": [],
                "improvement_suggestions": [],
                "suggested_tags": ["Panel", "panel", " purchases "],
            ]
            try await FakeOpenAIServer.withServer { server in
                server.enqueue(.content(answer.serialized()))
                try await Self.withOnlineDrafting(store, server) { service, _ in
                    #expect(!service.isOffline)
                    let outcome = try await service.draft(datasetID: "panel")
                    #expect(outcome.generator == .llm)
                    #expect(outcome.author == "llm:primary-model")
                    #expect(outcome.validation.droppedTables == ["loyalty_cards"])
                    #expect(outcome.validation.droppedColumns == ["\(respondents).favourite_colour"])
                    #expect(outcome.validation.completedColumns == ["\(respondents).weight"])
                    #expect(outcome.validation.completedTables == [purchases])
                    #expect(!outcome.validation.isClean)
                    let documented = try #require(outcome.draft.dataDictionary.first { $0.table == respondents })
                    #expect(documented.columns.map(\.name) == ["respondent_id", "gender", "weight"], "profile spelling and order")
                    #expect(documented.columns[1].description == "Self-reported gender.", "the model's text is kept")
                    #expect(outcome.draft.dataDictionary.map(\.table) == profile.tables.map(\.qualifiedName))
                    #expect(outcome.draft.suggestedTags == ["panel", "purchases"])
                    let document = outcome.metadataDocument()
                    #expect(document["validation"]?["dropped_columns"] == [.string("\(respondents).favourite_colour")])
                    #expect(document["validation"]?["dropped_tables"] == ["loyalty_cards"])

                    // What the model was asked: the profiled tables, as structured output.
                    let request = try #require(server.requests(to: .chatCompletions).first)
                    #expect(request.body.contains("respondents") && request.body.contains("purchases"))
                    #expect(request.body.contains("json_schema"))
                    #expect(server.requests(to: .chatCompletions).count == 1)
                    let usage = try await store.llmUsage(datasetID: nil, jobID: nil, limit: 10)
                    #expect(usage.count == 1)
                    #expect(usage.first?.model == "primary-model")
                    #expect((usage.first?.totalTokens ?? 0) > 0)
                }
            }
        }
    }

    @Test("malformed JSON is retried as a fresh request and a later good answer is used")
    func malformedThenGood() async throws {
        try await Self.withProfiledDataset { store, profile in
            let table = try #require(profile.tables.first).qualifiedName
            let good: JSONValue = [
                "summary": "Panel.", "description": "A panel.",
                "data_dictionary": [["table": .string(table), "description": "Rows.", "columns": []]],
                "use_cases": [], "quality_notes": [], "improvement_suggestions": [], "suggested_tags": [],
            ]
            try await FakeOpenAIServer.withServer { server in
                server.enqueue(.malformedJSON, .content(good.serialized()))
                try await Self.withOnlineDrafting(store, server) { service, _ in
                    let outcome = try await service.draft(datasetID: "panel")
                    #expect(outcome.draft.summary == "Panel.")
                    #expect(outcome.usage?.attempts == 2)
                    #expect(server.requests(to: .chatCompletions).count == 2)
                }
            }
        }
    }

    @Test("a model that keeps answering malformed JSON fails the draft job clearly; the dataset goes back to draft with a review item")
    func malformedForeverFailsTheJob() async throws {
        try await Self.withProfiledDataset { store, _ in
            _ = try await store.transitionDataset(id: "panel", to: .metadataPending, actor: "system", note: "test")
            _ = try await store.transitionDataset(id: "panel", to: .draft, actor: "system", note: "test")
            try await FakeOpenAIServer.withServer { server in
                server.setDefaultReply(.malformedJSON)
                try await Self.withOnlineDrafting(store, server) { drafting, _ in
                    await expectError(.llmInvalidOutput) { try await drafting.draft(datasetID: "panel") }
                    #expect(server.requests(to: .chatCompletions).count == 3, "the first try and 2 retries")

                    let signals = JobSignals()
                    let client = JobQueueClient(store: store, signals: signals, logger: ProfilingFixtures.logger)
                    let pipeline = OnboardingPipeline(store: store, jobs: client, logger: ProfilingFixtures.logger)
                    let handler = DraftMetadataJobHandler(store: store, drafting: drafting, pipeline: pipeline)
                    let worker = JobWorker(
                        store: store,
                        handlers: [handler],
                        configuration: JobWorkerConfiguration(pollInterval: .milliseconds(50), retryBaseSeconds: 0.05),
                        signals: signals,
                        client: client,
                        logger: ProfilingFixtures.logger
                    )
                    let job = try await client.enqueue(
                        NewJob(kind: JobKind.draftMetadata, datasetID: "panel", payload: ["pipeline": "onboarding"], maxAttempts: 3)
                    )
                    // The failure is recorded on the job first; the pipeline then tidies the dataset
                    // up, so the worker keeps running until the review item is there.
                    let (ended, items) = try await JobFixtures.running(worker) {
                        let ended = try await JobFixtures.waitFor(job.id, in: store, JobFixtures.isFinished)
                        let items = try await eventually {
                            try await store.reviewItems(ReviewItemFilter(datasetID: "panel"))
                        } until: {
                            !$0.isEmpty
                        }
                        return (ended, items)
                    }
                    #expect(ended.state == .failed)
                    #expect(ended.attempts == 1, "another attempt would get the same answer")
                    #expect(ended.error?.hasPrefix("LLM_INVALID_OUTPUT:") == true, "\(ended.error ?? "")")
                    #expect(server.requests(to: .chatCompletions).count == 6)

                    let dataset = try #require(try await store.dataset(id: "panel"))
                    #expect(dataset.state == .draft, "drafting started (metadata_pending) and stopped")
                    #expect(dataset.metadata == nil, "nothing half-drafted was stored")
                    let transitions = try await store.transitions(datasetID: "panel")
                    #expect(transitions.suffix(2).map(\.to) == [.metadataPending, .draft])
                    #expect(transitions.last?.note?.contains("LLM_INVALID_OUTPUT") == true)
                    #expect(items.map(\.kind) == ["onboarding_failed"])
                    #expect(items.first?.details["error"]?.stringValue == ended.error)
                    #expect(items.first?.sourceJobID == job.id)
                }
            }
        }
    }
}
