import AnalyticsCore
import LLMClient
import TestSupport
import Testing

/// JSON-schema structured output: what is sent, how answers are validated, and usage accounting.
@Suite struct StructuredOutputTests {
    let schema: JSONValue = [
        "type": "object",
        "additionalProperties": false,
        "required": ["answer", "confidence"],
        "properties": ["answer": ["type": "string"], "confidence": ["type": "number"]],
    ]

    var request: ChatRequest {
        ChatRequest(
            messages: [.system("Answer in JSON."), .user("What is two plus two?")],
            temperature: 0.2,
            responseFormat: .jsonSchema(name: "arithmetic", schema: self.schema),
            maxCompletionTokens: 100,
            purpose: "arithmetic"
        )
    }

    @Test func successSendsTheSchemaAndReturnsParsedJSONWithUsage() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.enqueue(.content(#"{"answer": "four", "confidence": 0.9}"#, usage: FakeOpenAIUsage(promptTokens: 120, completionTokens: 30)))
            let recorder = RecordingUsageRecorder()
            let client = try OpenAICompatibleClient(configuration: .forFake(server), usageRecorder: recorder)

            let response = try await client.chat(self.request)

            #expect(response.json == ["answer": "four", "confidence": 0.9])
            #expect(response.content == #"{"answer": "four", "confidence": 0.9}"#)
            #expect(response.model == "primary-model")
            #expect(response.finishReason == "stop")
            #expect(response.usage.promptTokens == 120)
            #expect(response.usage.completionTokens == 30)
            #expect(response.usage.totalTokens == 150)
            #expect(response.usage.attempts == 1)
            #expect(response.usage.purpose == "arithmetic")
            #expect(response.usage.operation == .chat)
            #expect(response.usage.succeeded)
            #expect(await recorder.records == [response.usage])

            let sent = try #require(server.requests.first)
            #expect(sent.path == "/v1/chat/completions")
            #expect(sent.apiKey == testAPIKey)
            #expect(sent.model == "primary-model")
            #expect(sent.json?["temperature"] == 0.2)
            #expect(sent.json?["max_completion_tokens"] == 100)
            #expect(sent.messageContents == ["Answer in JSON.", "What is two plus two?"])
            #expect((sent.json?["messages"]?.arrayValue ?? []).compactMap { $0["role"]?.stringValue } == ["system", "user"])
            #expect(
                sent.responseFormat
                    == ["type": "json_schema", "json_schema": ["name": "arithmetic", "schema": self.schema, "strict": true]]
            )
        }
    }

    @Test func plainTextRequestsSendNoResponseFormat() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.enqueue(.content("not JSON, and that is fine"))
            let client = try OpenAICompatibleClient(configuration: .forFake(server))

            let response = try await client.chat(ChatRequest(messages: [.user("Chat freely.")]))

            #expect(response.content == "not JSON, and that is fine")
            #expect(response.json == nil)
            #expect(server.requests.first?.responseFormat == nil)
            #expect(server.requests.first?.json?["temperature"] == nil)
        }
    }

    @Test func malformedJSONIsRetriedAsAFreshRequest() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.enqueue(
                .malformedJSON,
                .content(#"{"answer": "four"}"#),  // valid JSON, but a required key is missing
                .content(#"{"answer": "four", "confidence": 1}"#)
            )
            let client = try OpenAICompatibleClient(configuration: .forFake(server))

            let response = try await client.chat(self.request)

            #expect(response.json?["confidence"] == 1)
            #expect(response.usage.attempts == 3)
            let bodies = server.requests.map(\.body)
            #expect(bodies.count == 3)
            #expect(Set(bodies).count == 1)
            // Tokens of the rejected answers are billed too, so they are counted.
            let expected = server.requests.count * FakeOpenAIServer.tokenCount("Answer in JSON. What is two plus two?")
            #expect(response.usage.promptTokens == expected)
        }
    }

    @Test func malformedForeverFailsWithInvalidOutput() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.setDefaultReply(.malformedJSON)
            let recorder = RecordingUsageRecorder()
            let client = try OpenAICompatibleClient(
                configuration: .forFake(server, fallbackModel: "fallback-model", maxRetries: 2),
                usageRecorder: recorder
            )

            let error = try await #require(throws: AnalyticsError.self) { try await client.chat(self.request) }

            #expect(error.code == .llmInvalidOutput)
            #expect(error.message.contains("not valid JSON"))
            #expect(error.details?["attempts"] == 6)
            #expect(
                server.requests.map(\.model) == [
                    "primary-model", "primary-model", "primary-model", "fallback-model", "fallback-model", "fallback-model",
                ]
            )
            let record = try #require(await recorder.records.first)
            #expect(record.errorCode == .llmInvalidOutput)
            #expect(record.attempts == 6)
            #expect(record.usedFallback)
            #expect(record.completionTokens == 6 * FakeOpenAIServer.tokenCount(#"{"summary": "A panel of households", "description": "#))
        }
    }

    @Test func answerThatIsNotAnObjectIsInvalid() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.setDefaultReply(.content("[1, 2, 3]"))
            let client = try OpenAICompatibleClient(configuration: .forFake(server, maxRetries: 0))

            let error = try await #require(throws: AnalyticsError.self) { try await client.chat(self.request) }

            #expect(error.code == .llmInvalidOutput)
            #expect(error.message.contains("not a JSON object"))
        }
    }

    @Test func brokenEnvelopeIsRetriedThenInvalid() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.setDefaultReply(.rawBody("<html>gateway says hi</html>"))
            let client = try OpenAICompatibleClient(configuration: .forFake(server, maxRetries: 1))

            let error = try await #require(throws: AnalyticsError.self) { try await client.chat(self.request) }

            #expect(error.code == .llmInvalidOutput)
            #expect(error.message.contains("not a Chat Completions object"))
            #expect(server.requests.count == 2)
        }
    }

    @Test func emptyConversationIsRejectedWithoutACall() async throws {
        try await FakeOpenAIServer.withServer { server in
            let client = try OpenAICompatibleClient(configuration: .forFake(server))

            let error = try await #require(throws: AnalyticsError.self) { try await client.chat(ChatRequest(messages: [])) }

            #expect(error.code == .invalidRequest)
            #expect(server.requests.isEmpty)
        }
    }

    @Test func ownedHTTPClientWorksAndShutsDown() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.enqueue(.content(#"{"answer": "four", "confidence": 0.5}"#))

            let answer = try await OpenAICompatibleClient.withOwnedHTTPClient(configuration: .forFake(server)) { client in
                try await client.chat(self.request).json?["answer"]
            }

            #expect(answer == "four")
        }
    }
}
