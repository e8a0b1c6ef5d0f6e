import AnalyticsCore
import LLMClient
import TestSupport
import Testing

/// Chat completions against the fake provider over real HTTP: retries, backoff, fallback, failure codes.
@Suite struct ChatRetryTests {
    let request = ChatRequest(messages: [.system("Be brief."), .user("Say hello.")], temperature: 0, purpose: "test")

    @Test func rateLimitHonoursRetryAfterSeconds() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.enqueue(.status(429, retryAfter: "1"), .content("hello"))
            let client = try OpenAICompatibleClient(configuration: .forFake(server))

            let response = try await client.chat(self.request)

            #expect(response.content == "hello")
            #expect(response.usage.attempts == 2)
            let requests = server.requests
            try #require(requests.count == 2)
            // The backoff alone would wait at most 20 ms; only Retry-After explains a gap of a second.
            #expect(requests[1].receivedAt - requests[0].receivedAt >= .milliseconds(990))
        }
    }

    @Test func serverErrorsAreRetriedUntilSuccess() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.enqueue(.status(500), .status(502), .status(503), .content("recovered"))
            let client = try OpenAICompatibleClient(configuration: .forFake(server, fallbackModel: "fallback-model", maxRetries: 3))

            let response = try await client.chat(self.request)

            #expect(response.content == "recovered")
            #expect(response.usage.attempts == 4)
            #expect(response.usage.usedFallback == false)
            #expect(server.requests.map(\.model) == Array(repeating: "primary-model", count: 4))
        }
    }

    @Test func fallbackModelIsUsedAfterPrimaryIsExhausted() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.enqueue(.status(500), .status(500), .status(500), .status(500), .content("from fallback"))
            let client = try OpenAICompatibleClient(configuration: .forFake(server, fallbackModel: "fallback-model", maxRetries: 2))

            let response = try await client.chat(self.request)

            #expect(response.content == "from fallback")
            #expect(
                server.requests.map(\.model) == ["primary-model", "primary-model", "primary-model", "fallback-model", "fallback-model"]
            )
            #expect(response.model == "fallback-model")
            #expect(response.usage.model == "fallback-model")
            #expect(response.usage.usedFallback)
            #expect(response.usage.attempts == 5)
        }
    }

    @Test func exhaustedRetriesOnBothModelsAreUnavailable() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.setDefaultReply(.status(503))
            let recorder = RecordingUsageRecorder()
            let client = try OpenAICompatibleClient(
                configuration: .forFake(server, fallbackModel: "fallback-model", maxRetries: 1),
                usageRecorder: recorder
            )

            let error = try await #require(throws: AnalyticsError.self) { try await client.chat(self.request) }

            #expect(error.code == .llmUnavailable)
            #expect(error.message.contains("4 attempt(s)"))
            #expect(error.details?["provider_status"] == 503)
            #expect(server.requests.map(\.model) == ["primary-model", "primary-model", "fallback-model", "fallback-model"])
            let records = await recorder.records
            #expect(records.count == 1)
            #expect(records.first?.errorCode == .llmUnavailable)
            #expect(records.first?.attempts == 4)
        }
    }

    @Test func timeoutIsRetried() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.enqueue(.delayed(.seconds(3), .content("too late")), .content("on time"))
            let client = try OpenAICompatibleClient(configuration: .forFake(server, requestTimeout: .milliseconds(300)))

            let response = try await client.chat(self.request)

            #expect(response.content == "on time")
            #expect(response.usage.attempts == 2)
            #expect(server.requests.count == 2)
        }
    }

    @Test func timeoutsUntilExhaustedAreUnavailable() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.setDefaultReply(.delayed(.seconds(3), .content("too late")))
            let client = try OpenAICompatibleClient(configuration: .forFake(server, maxRetries: 1, requestTimeout: .milliseconds(200)))

            let error = try await #require(throws: AnalyticsError.self) { try await client.chat(self.request) }

            #expect(error.code == .llmUnavailable)
            #expect(error.message.contains("no answer within"))
            #expect(server.requests.count == 2)
        }
    }

    @Test func droppedConnectionIsRetried() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.enqueue(.closeConnection, .content("after reconnect"))
            let client = try OpenAICompatibleClient(configuration: .forFake(server))

            let response = try await client.chat(self.request)

            #expect(response.content == "after reconnect")
            #expect(response.usage.attempts == 2)
        }
    }

    @Test func unreachableProviderIsUnavailable() async throws {
        // Bind and stop a server to get a loopback port that refuses connections.
        let server = try await FakeOpenAIServer.start()
        try await server.stop()
        // AsyncHTTPClient keeps re-trying a refused connect until the attempt's deadline, so keep it short.
        let client = try OpenAICompatibleClient(configuration: .forFake(server, maxRetries: 1, requestTimeout: .milliseconds(300)))

        let error = try await #require(throws: AnalyticsError.self) { try await client.chat(self.request) }

        #expect(error.code == .llmUnavailable)
        #expect(error.details?["attempts"] == 2)
        #expect(!error.message.contains(testAPIKey))
    }

    @Test func unauthorizedFailsAtOnceWithoutTheKey() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.setDefaultReply(.status(401))
            let logs = LogCapture()
            let client = try OpenAICompatibleClient(
                configuration: .forFake(server, fallbackModel: "fallback-model"),
                logger: logs.logger()
            )

            let error = try await #require(throws: AnalyticsError.self) { try await client.chat(self.request) }

            #expect(error.code == .llmUnavailable)
            #expect(error.message.contains("HTTP 401"))
            #expect(error.hint?.contains("MCPA_LLM_API_KEY") == true)
            // No retry and no fallback: a bad key stays bad.
            #expect(server.requests.count == 1)
            // The fake echoed the key in its body; none of it may surface.
            #expect(server.requests.first?.apiKey == testAPIKey)
            let surfaced = [error.message, error.hint ?? "", error.body.serialized(), "\(error)"] + logs.all
            #expect(surfaced.allSatisfy { !$0.contains(testAPIKey) })
            #expect(!logs.all.isEmpty)
        }
    }

    @Test func rejectedRequestRedactsEchoedKeyButKeepsTheReason() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.setDefaultReply(.status(400, message: "Invalid schema for response_format (request key $API_KEY)."))
            let client = try OpenAICompatibleClient(configuration: .forFake(server))

            let error = try await #require(throws: AnalyticsError.self) { try await client.chat(self.request) }

            #expect(error.code == .llmUnavailable)
            #expect(error.message.contains("Invalid schema for response_format"))
            #expect(error.message.contains("[redacted]"))
            #expect(!error.message.contains(testAPIKey))
            #expect(server.requests.count == 1)
        }
    }

    @Test func retryingLogsCarryNoKey() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.enqueue(.status(500, message: "upstream said $API_KEY"), .closeConnection, .content("ok"))
            let logs = LogCapture()
            let client = try OpenAICompatibleClient(configuration: .forFake(server), logger: logs.logger())

            _ = try await client.chat(self.request)

            #expect(logs.all.filter { $0.contains("retrying") }.count == 2)
            #expect(logs.all.allSatisfy { !$0.contains(testAPIKey) })
        }
    }

    @Test func cancellationStopsTheCall() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.setDefaultReply(.delayed(.seconds(30), .content("never")))
            let client = try OpenAICompatibleClient(configuration: .forFake(server, requestTimeout: .seconds(60)))
            let request = self.request
            let task = Task { try await client.chat(request) }
            for _ in 0..<500 where server.requests.isEmpty {
                try await Task.sleep(for: .milliseconds(10))
            }
            try #require(server.requests.count == 1)

            task.cancel()

            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(server.requests.count == 1)
        }
    }
}
