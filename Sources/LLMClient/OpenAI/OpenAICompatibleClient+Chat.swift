import AnalyticsCore
import Foundation

extension OpenAICompatibleClient {
    /// What one successful chat attempt produced.
    struct ChatAttempt: Sendable {
        var content: String
        var json: JSONValue?
        var model: String
        var finishReason: String?
        var tokens: TokenCounts
    }

    public func chat(_ request: ChatRequest) async throws -> ChatResponse {
        guard !request.messages.isEmpty else {
            throw AnalyticsError.invalidRequest("A chat request needs at least one message.")
        }
        let started = ContinuousClock.now
        let startedAt = Date()
        do {
            let outcome = try await self.retryLoop.run(models: self.chatModels) { model in
                try await self.chatAttempt(request, model: model)
            }
            var tokens = outcome.failedAttemptTokens
            tokens.add(outcome.value.tokens)
            let usage = LLMUsage(
                operation: .chat,
                purpose: request.purpose,
                model: outcome.model,
                usedFallback: outcome.usedFallback,
                promptTokens: tokens.prompt,
                completionTokens: tokens.completion,
                totalTokens: tokens.total,
                latency: ContinuousClock.now - started,
                attempts: outcome.attempts,
                startedAt: startedAt
            )
            await self.record(usage)
            return ChatResponse(
                content: outcome.value.content,
                json: outcome.value.json,
                model: outcome.value.model,
                finishReason: outcome.value.finishReason,
                usage: usage
            )
        } catch let failure as RetryLoop.Failure {
            let error = self.error(for: failure, operation: .chat)
            self.logger.warning(
                "LLM chat failed",
                metadata: ["mcpa.llm.error": "\(error.code.rawValue)", "mcpa.llm.attempts": "\(failure.attempts)"]
            )
            await self.record(
                LLMUsage(
                    operation: .chat,
                    purpose: request.purpose,
                    model: failure.modelsTried.last ?? self.configuration.model,
                    usedFallback: failure.modelsTried.count > 1,
                    promptTokens: failure.failedAttemptTokens.prompt,
                    completionTokens: failure.failedAttemptTokens.completion,
                    totalTokens: failure.failedAttemptTokens.total,
                    latency: ContinuousClock.now - started,
                    attempts: failure.attempts,
                    errorCode: error.code,
                    startedAt: startedAt
                )
            )
            throw error
        }
    }

    /// The Chat Completions request body for `model`.
    func chatBody(_ request: ChatRequest, model: String) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(model),
            "messages": .array(
                request.messages.map { ["role": .string($0.role.rawValue), "content": .string($0.content)] }
            ),
        ]
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if let maxTokens = request.maxCompletionTokens { body["max_completion_tokens"] = .int(Int64(maxTokens)) }
        if let format = request.responseFormat.wireValue { body["response_format"] = format }
        return .object(body)
    }

    /// One HTTP attempt, with the answer decoded and, for structured output, validated.
    func chatAttempt(_ request: ChatRequest, model: String) async throws -> ChatAttempt {
        let reply = try await self.post("/chat/completions", body: self.chatBody(request, model: model))
        guard let completion = try? JSONDecoder().decode(OpenAIWireFormat.ChatCompletion.self, from: reply.body) else {
            throw AttemptFailure(kind: .invalidOutput, reason: "the response is not a Chat Completions object")
        }
        let tokens = completion.usage?.counts ?? TokenCounts()
        func invalid(_ reason: String) -> AttemptFailure {
            AttemptFailure(kind: .invalidOutput, reason: reason, tokens: tokens)
        }
        guard let choice = completion.choices.first, let message = choice.message else {
            throw invalid("the response has no message")
        }
        if let refusal = message.refusal, !refusal.isEmpty {
            throw invalid("the model refused: \(refusal.prefix(200))")
        }
        guard let content = message.content, !content.isEmpty else {
            throw invalid("the message is empty")
        }
        var json: JSONValue?
        if case .jsonSchema(_, let schema) = request.responseFormat {
            json = try Self.validateStructuredOutput(content, schema: schema, finishReason: choice.finish_reason, tokens: tokens)
        }
        return ChatAttempt(content: content, json: json, model: completion.model ?? model, finishReason: choice.finish_reason, tokens: tokens)
    }

    /// Parses `content` and checks it against the schema's top-level type and required keys.
    ///
    /// Deeper checks (e.g. that described columns exist) belong to the caller, which knows the data.
    static func validateStructuredOutput(
        _ content: String,
        schema: JSONValue,
        finishReason: String?,
        tokens: TokenCounts
    ) throws -> JSONValue {
        let truncated = finishReason == "length" ? " (the answer was cut off at the token limit)" : ""
        guard let json = try? JSONValue.parse(content) else {
            throw AttemptFailure(kind: .invalidOutput, reason: "the answer is not valid JSON\(truncated)", tokens: tokens)
        }
        if schema["type"]?.stringValue == "object" {
            guard let object = json.objectValue else {
                throw AttemptFailure(kind: .invalidOutput, reason: "the answer is not a JSON object", tokens: tokens)
            }
            let required = (schema["required"]?.arrayValue ?? []).compactMap(\.stringValue)
            let missing = required.filter { object[$0] == nil }
            guard missing.isEmpty else {
                throw AttemptFailure(
                    kind: .invalidOutput,
                    reason: "the answer lacks required keys: \(missing.joined(separator: ", "))\(truncated)",
                    tokens: tokens
                )
            }
        }
        return json
    }
}
