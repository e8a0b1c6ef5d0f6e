import AnalyticsCore
import Foundation

extension OpenAICompatibleClient {
    /// Embeds `texts` in batches of ``LLMConfiguration/embeddingsBatchSize``, in order.
    ///
    /// Each batch has its own retries; the vectors come back sorted by the provider's `index`, so the
    /// result lines up with `texts` even when a provider answers out of order.
    public func embed(_ texts: [String]) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let started = ContinuousClock.now
        let startedAt = Date()
        let model = self.configuration.embeddingsModel
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        var tokens = TokenCounts()
        var attempts = 0
        let batchSize = self.configuration.embeddingsBatchSize
        do {
            for start in stride(from: 0, to: texts.count, by: batchSize) {
                let batch = Array(texts[start..<min(start + batchSize, texts.count)])
                let outcome = try await self.retryLoop.run(models: [model]) { model in
                    try await self.embeddingsAttempt(batch, model: model)
                }
                attempts += outcome.attempts
                tokens.add(outcome.failedAttemptTokens)
                tokens.add(outcome.value.tokens)
                vectors.append(contentsOf: outcome.value.vectors)
            }
        } catch let failure as RetryLoop.Failure {
            let error = self.error(for: failure, operation: .embeddings)
            tokens.add(failure.failedAttemptTokens)
            await self.record(
                LLMUsage(
                    operation: .embeddings,
                    model: model,
                    promptTokens: tokens.prompt,
                    totalTokens: tokens.total,
                    latency: ContinuousClock.now - started,
                    attempts: attempts + failure.attempts,
                    errorCode: error.code,
                    startedAt: startedAt
                )
            )
            throw error
        }
        await self.record(
            LLMUsage(
                operation: .embeddings,
                model: model,
                promptTokens: tokens.prompt,
                completionTokens: tokens.completion,
                totalTokens: tokens.total,
                latency: ContinuousClock.now - started,
                attempts: attempts,
                startedAt: startedAt
            )
        )
        return vectors
    }

    struct EmbeddingsAttempt: Sendable {
        var vectors: [[Float]]
        var tokens: TokenCounts
    }

    /// One HTTP attempt for one batch, checked for one vector per input and one dimension throughout.
    func embeddingsAttempt(_ batch: [String], model: String) async throws -> EmbeddingsAttempt {
        let body: JSONValue = [
            "model": .string(model),
            "input": .array(batch.map(JSONValue.string)),
            "encoding_format": "float",
        ]
        let reply = try await self.post("/embeddings", body: body)
        guard let response = try? JSONDecoder().decode(OpenAIWireFormat.Embeddings.self, from: reply.body) else {
            throw AttemptFailure(kind: .invalidOutput, reason: "the response is not an Embeddings object")
        }
        let tokens = response.usage?.counts ?? TokenCounts()
        let sorted = response.data.sorted { $0.index < $1.index }
        guard sorted.map(\.index) == Array(0..<batch.count) else {
            throw AttemptFailure(
                kind: .invalidOutput,
                reason: "expected \(batch.count) embeddings indexed 0..<\(batch.count), got \(response.data.count)",
                tokens: tokens
            )
        }
        let dimension = sorted.first?.embedding.count ?? 0
        guard dimension > 0, sorted.allSatisfy({ $0.embedding.count == dimension }) else {
            throw AttemptFailure(kind: .invalidOutput, reason: "the embeddings are empty or differ in dimension", tokens: tokens)
        }
        return EmbeddingsAttempt(vectors: sorted.map(\.embedding), tokens: tokens)
    }
}
