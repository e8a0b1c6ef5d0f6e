import AnalyticsCore
import LLMClient
import TestSupport
import Testing

/// Embeddings against the fake provider: batching, ordering, validation and usage.
@Suite struct EmbeddingsTests {
    let texts = [
        "weighted share of female respondents",
        "household income by region",
        "television viewing minutes per day",
        "NCCS socio-economic class",
        "respondent weight column",
        "brand awareness among young adults",
        "purchase frequency of soft drinks",
        "date of the interview",
    ]

    @Test func batchesPreserveOrder() async throws {
        try await FakeOpenAIServer.withServer { server in
            let recorder = RecordingUsageRecorder()
            let client = try OpenAICompatibleClient(configuration: .forFake(server, embeddingsBatchSize: 3), usageRecorder: recorder)

            let vectors = try await client.embed(self.texts)

            #expect(vectors == self.texts.map(FakeOpenAIServer.embedding(for:)))
            let requests = server.requests(to: .embeddings)
            #expect(requests.map(\.embeddingInputs) == [Array(self.texts[0..<3]), Array(self.texts[3..<6]), Array(self.texts[6..<8])])
            #expect(requests.allSatisfy { $0.model == "embedding-model" && $0.json?["encoding_format"] == "float" })
            let record = try #require(await recorder.records.first)
            #expect(record.operation == .embeddings)
            #expect(record.attempts == 3)
            #expect(record.promptTokens == self.texts.reduce(0) { $0 + FakeOpenAIServer.tokenCount($1) })
            #expect(record.succeeded)
        }
    }

    @Test func outOfOrderAnswersAreSortedByIndex() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.enqueue(.embeddingsOutOfOrder, for: .embeddings)
            let client = try OpenAICompatibleClient(configuration: .forFake(server))

            let vectors = try await client.embed(Array(self.texts.prefix(4)))

            #expect(vectors == self.texts.prefix(4).map(FakeOpenAIServer.embedding(for:)))
            #expect(vectors[0] != vectors[3])
        }
    }

    @Test func wrongCountIsRetried() async throws {
        try await FakeOpenAIServer.withServer { server in
            let oneItem = #"{"object": "list", "data": [{"index": 0, "embedding": [1, 0]}], "model": "m"}"#
            server.enqueue(.rawBody(oneItem), .status(500), for: .embeddings)
            let recorder = RecordingUsageRecorder()
            let client = try OpenAICompatibleClient(configuration: .forFake(server), usageRecorder: recorder)

            let vectors = try await client.embed(["a b", "c d"])

            #expect(vectors.count == 2)
            #expect(server.requests(to: .embeddings).count == 3)
            #expect(await recorder.records.first?.attempts == 3)
        }
    }

    @Test func wrongCountForeverIsInvalidOutput() async throws {
        try await FakeOpenAIServer.withServer { server in
            let oneItem = #"{"object": "list", "data": [{"index": 0, "embedding": [1, 0]}], "model": "m"}"#
            server.setDefaultReply(.rawBody(oneItem), for: .embeddings)
            let client = try OpenAICompatibleClient(configuration: .forFake(server, fallbackModel: "fallback-model", maxRetries: 1))

            let error = try await #require(throws: AnalyticsError.self) { try await client.embed(["a b", "c d"]) }

            #expect(error.code == .llmInvalidOutput)
            #expect(error.message.contains("expected 2 embeddings"))
            // The chat fallback model is never used for embeddings: vectors of another model would not compare.
            #expect(server.requests.map(\.model) == ["embedding-model", "embedding-model"])
        }
    }

    @Test func emptyInputMakesNoRequest() async throws {
        try await FakeOpenAIServer.withServer { server in
            let client = try OpenAICompatibleClient(configuration: .forFake(server))

            #expect(try await client.embed([]).isEmpty)
            #expect(server.requests.isEmpty)
        }
    }

    @Test func fakeEmbeddingsPlaceSimilarTextsNear() {
        func cosine(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        let query = FakeOpenAIServer.embedding(for: "female respondents weighted share")
        let near = FakeOpenAIServer.embedding(for: "weighted share of female respondents")
        let far = FakeOpenAIServer.embedding(for: "television viewing minutes per day")

        #expect(abs(cosine(near, near) - 1) < 1e-5)
        #expect(cosine(query, near) > 0.8)
        #expect(cosine(query, near) > cosine(query, far) + 0.3)
    }
}
