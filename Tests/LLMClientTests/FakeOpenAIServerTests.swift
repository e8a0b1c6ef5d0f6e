import AnalyticsCore
import LLMClient
import TestSupport
import Testing

/// The fake provider's own contract, which other test targets rely on.
@Suite struct FakeOpenAIServerTests {
    @Test func computedRepliesSeeTheRequest() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.setDefaultReply(.computed { request in .content("model=\(request.model ?? "?") messages=\(request.messageContents.count)") })
            let client = try OpenAICompatibleClient(configuration: .forFake(server))

            let response = try await client.chat(ChatRequest(messages: [.system("a"), .user("b")]))

            #expect(response.content == "model=primary-model messages=2")
        }
    }

    @Test func queuedRepliesAreConsumedPerEndpoint() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.enqueue(.content("first"), .content("second"))
            server.enqueue(.embeddings, for: .embeddings)
            let client = try OpenAICompatibleClient(configuration: .forFake(server))

            #expect(try await client.chat(ChatRequest(messages: [.user("x")])).content == "first")
            _ = try await client.embed(["x"])

            #expect(server.pendingReplies(for: .chatCompletions) == 1)
            #expect(server.pendingReplies(for: .embeddings) == 0)
            #expect(server.requests(to: .chatCompletions).count == 1)
            #expect(server.requests(to: .embeddings).count == 1)
            #expect(try await client.chat(ChatRequest(messages: [.user("x")])).content == "second")
            #expect(try await client.chat(ChatRequest(messages: [.user("x")])).content == "OK")
        }
    }

    @Test func unknownRouteIsRejectedAtOnceWithABaseURLHint() async throws {
        try await FakeOpenAIServer.withServer { server in
            var configuration = LLMConfiguration.forFake(server, fallbackModel: "fallback-model")
            configuration.baseURL = server.baseURL + "/wrong"
            let client = try OpenAICompatibleClient(configuration: configuration)

            let error = try await #require(throws: AnalyticsError.self) { try await client.chat(ChatRequest(messages: [.user("x")])) }

            #expect(error.code == .llmUnavailable)
            #expect(error.message.contains("HTTP 404"))
            #expect(error.hint?.contains(configuration.baseURL) == true)
            #expect(server.requests.map(\.path) == ["/v1/wrong/chat/completions"])
        }
    }
}
