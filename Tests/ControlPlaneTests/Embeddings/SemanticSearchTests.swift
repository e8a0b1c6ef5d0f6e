import AnalyticsCore
import ControlPlane
import Foundation
import LLMClient
import MetadataStore
import TestSupport
import Testing

/// Semantic search: vectors stored per search document and refreshed only when the text changed
/// (against the fake OpenAI embeddings endpoint), and the BM25 + cosine blend.
@Suite("Semantic search")
struct SemanticSearchTests {
    static func dataset(_ id: String, _ description: String) -> Dataset {
        Dataset(id: id, name: "Dataset \(id)", description: description, connectionKind: .sqlite, redactedURL: "sqlite:redacted", createdBy: "test")
    }

    static func register(_ dataset: Dataset, in store: any MetadataStore) async throws {
        _ = try await store.createDataset(dataset, secret: SealedSecret(keyID: "t", combined: Data("x".utf8)), actor: "test")
    }

    @Test("the indexer embeds each document once, again only after its text changed, under the embeddings model")
    func indexerEmbedsChangedDocuments() async throws {
        try await StoreFixtures.withStore(.sqlite) { store in
            try await Self.register(Self.dataset("tv", "Television viewing minutes per household and channel."), in: store)
            try await Self.register(Self.dataset("grocery", "Grocery purchases by store and brand."), in: store)
            try await FakeOpenAIServer.withServer { server in
                try await DraftingTests.withOnlineDrafting(store, server) { _, model in
                    let indexer = EmbeddingIndexer(store: store, model: model, modelName: "embedding-model")
                    #expect(try await indexer.index(datasetID: "tv") == .init(embedded: 1, unchanged: 0, removed: 0))
                    #expect(try await indexer.index(datasetID: "grocery") == .init(embedded: 1, unchanged: 0, removed: 0))
                    let stored = try await store.embeddings(model: "embedding-model", datasetIDs: nil)
                    #expect(stored.map(\.documentID) == ["grocery", "tv"])
                    let tvText = DatasetDocuments.documents(for: try #require(try await store.dataset(id: "tv")), profile: nil)[0].text
                    #expect(
                        stored.last?.vector == FakeOpenAIServer.embedding(for: tvText),
                        "the vector the endpoint returned for the document's text"
                    )
                    #expect(stored.last?.contentHash == EmbeddingIndexer.contentHash(tvText))
                    #expect(server.requests(to: .embeddings).count == 2)

                    #expect(try await indexer.index(datasetID: "tv") == .init(embedded: 0, unchanged: 1, removed: 0))
                    #expect(server.requests(to: .embeddings).count == 2, "an unchanged document costs no call")
                    _ = try await store.updateDataset(id: "tv", actor: "reviewer", note: nil) {
                        $0.description = "Streaming and broadcast audiences."
                    }
                    #expect(try await indexer.index(datasetID: "tv") == .init(embedded: 1, unchanged: 0, removed: 0))
                    #expect(server.requests(to: .embeddings).count == 3)
                    await expectError(.datasetNotFound) { try await indexer.index(datasetID: "ghost") }

                    // End to end: the question is embedded once and the matching dataset ranks first.
                    let search = SemanticDatasetSearch(store: store, model: model, modelName: "embedding-model", logger: ProfilingFixtures.logger)
                    let datasets = try await store.datasets(state: nil, tag: nil)
                    let ranked = try await search.rankDatasets("grocery brand purchases", datasets: datasets, limit: 5)
                    #expect(ranked.first?.datasetID == "grocery")
                    #expect(server.requests(to: .embeddings).count == 4)
                    let lexical = SemanticDatasetSearch(store: store, model: nil, modelName: "embedding-model", logger: ProfilingFixtures.logger)
                    #expect(try await lexical.rankDatasets("grocery brand purchases", datasets: datasets, limit: 5).map(\.datasetID) == ["grocery"])
                    #expect(server.requests(to: .embeddings).count == 4, "without a model nothing is embedded")
                }
            }
        }
    }

    @Test("the blend adds a dataset that only the vectors match, weighs both signals, and is BM25 alone without vectors")
    func hybridRanking() {
        let index = DatasetSearchIndex(entries: [
            (Self.dataset("tv", "Television audience by channel."), nil),
            (Self.dataset("viewing", "Household panel of screen time."), nil),
            (Self.dataset("grocery", "Grocery purchases."), nil),
        ])
        let vectors = [
            EmbeddingRecord(documentID: "tv", datasetID: "tv", model: "m", contentHash: "a", vector: [0.6, 0.8, 0]),
            EmbeddingRecord(documentID: "viewing", datasetID: "viewing", model: "m", contentHash: "b", vector: [1, 0, 0]),
            EmbeddingRecord(documentID: "grocery", datasetID: "grocery", model: "m", contentHash: "c", vector: [0, 0, 1]),
            EmbeddingRecord(documentID: "gone/table", datasetID: "gone", model: "m", contentHash: "d", vector: [1, 0, 0]),
        ]
        let query: [Float] = [1, 0, 0]
        let lexicalOnly = HybridSearch().rankDatasets("television audience", index: index, queryVector: nil, embeddings: vectors, limit: 5)
        #expect(lexicalOnly.map(\.datasetID) == ["tv"])

        let blended = HybridSearch(lexicalWeight: 0.5).rankDatasets(
            "television audience",
            index: index,
            queryVector: query,
            embeddings: vectors,
            limit: 5
        )
        #expect(blended.map(\.datasetID) == ["tv", "viewing"], "grocery's vector is orthogonal; documents outside the index are ignored")
        #expect(abs(blended[0].score - (0.5 + 0.5 * 0.6)) < 1e-6)
        #expect(abs(blended[1].score - 0.5) < 1e-6)
        #expect(blended[0].matchedTerms.contains("television"))

        let semantic = HybridSearch(lexicalWeight: 0).rankDatasets(
            "television audience",
            index: index,
            queryVector: query,
            embeddings: vectors,
            limit: 5
        )
        #expect(semantic.map(\.datasetID) == ["viewing", "tv"])
        #expect(HybridSearch().rankDatasets("television", index: index, queryVector: query, embeddings: vectors, limit: 1).count == 1)

        #expect(abs(HybridSearch.cosine([1, 0], [1, 1]) - 1 / 2.0.squareRoot()) < 1e-6)
        #expect(HybridSearch.cosine([1, 0], [1, 0, 0]) == 0, "dimensions differ")
        #expect(HybridSearch.cosine([0, 0], [1, 0]) == 0)
    }
}
