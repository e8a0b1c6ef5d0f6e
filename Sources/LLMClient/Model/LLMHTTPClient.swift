import AnalyticsCore
import AsyncHTTPClient
import Logging
import Synchronization

/// One `HTTPClient` for a server's language-model calls, owned by the server: created on the first
/// call and shut down when the server stops, so no connection outlives the process's services.
///
/// Creating it lazily matters: a process that never calls the model (a CLI command, a replica that
/// runs no jobs) never opens a client it would have to shut down.
public final class LLMHTTPClient: Sendable {
    private struct State {
        var client: HTTPClient?
        var shutDown = false
    }

    private let state = Mutex(State())

    public init() {}

    /// The online model on this client, or `nil` without an API key (see ``LanguageModelFactory``).
    public func makeModel(
        configuration: LLMConfiguration,
        usageRecorder: (any UsageRecorder)? = nil,
        logger: Logger = Logger(label: "mcpa.llm")
    ) -> (any LanguageModel)? {
        guard LanguageModelFactory.announce(configuration, logger: logger) else { return nil }
        return OwnedClientLanguageModel(owner: self, configuration: configuration, usageRecorder: usageRecorder, logger: logger)
    }

    /// Closes the client if it was ever opened; later calls fail with `LLM_UNAVAILABLE`.
    public func shutdown() async throws {
        let client = self.state.withLock { state -> HTTPClient? in
            state.shutDown = true
            defer { state.client = nil }
            return state.client
        }
        try await client?.shutdown()
    }

    func client() throws -> HTTPClient {
        try self.state.withLock { state in
            guard !state.shutDown else {
                throw AnalyticsError(.llmUnavailable, "The language model client has been shut down.", hint: "The server is stopping.")
            }
            if let client = state.client { return client }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
            state.client = client
            return client
        }
    }
}

/// An ``OpenAICompatibleClient`` on the owner's client, made per call (it is a small value).
struct OwnedClientLanguageModel: LanguageModel {
    let owner: LLMHTTPClient
    let configuration: LLMConfiguration
    let usageRecorder: (any UsageRecorder)?
    let logger: Logger

    var isOffline: Bool { false }

    func chat(_ request: ChatRequest) async throws -> ChatResponse {
        try await self.client().chat(request)
    }

    func embed(_ texts: [String]) async throws -> [[Float]] {
        try await self.client().embed(texts)
    }

    private func client() throws -> OpenAICompatibleClient {
        try OpenAICompatibleClient(
            configuration: self.configuration,
            httpClient: try self.owner.client(),
            usageRecorder: self.usageRecorder,
            logger: self.logger
        )
    }
}
