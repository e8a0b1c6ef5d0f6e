import AnalyticsCore
import Foundation
import LLMClient

/// A validated metadata draft and where it came from.
public struct DraftOutcome: Sendable, Hashable {
    public enum Generator: String, Sendable, Hashable, Codable {
        /// A language model through the OpenAI-compatible client.
        case llm
        /// The deterministic ``OfflineMetadataDrafter``.
        case offline
    }

    public var draft: MetadataDraft
    public var validation: DraftValidation
    public var generator: Generator
    /// The model that answered (the fallback model when it was used); nil offline.
    public var model: String?
    public var usage: LLMUsage?
    /// The profile snapshot the draft describes.
    public var profileVersion: Int

    public init(draft: MetadataDraft, validation: DraftValidation, generator: Generator, model: String?, usage: LLMUsage?, profileVersion: Int) {
        self.draft = draft
        self.validation = validation
        self.generator = generator
        self.model = model
        self.usage = usage
        self.profileVersion = profileVersion
    }

    /// The author recorded on the metadata version: `llm:<model>` or `offline-drafter`.
    public var author: String {
        switch self.generator {
        case .llm: "llm:\(self.model ?? "unknown")"
        case .offline: OfflineMetadataDrafter.author
        }
    }

    /// Token counts for job results and the stored document; empty offline.
    public var usageSummary: JSONValue {
        guard let usage = self.usage else { return [:] }
        return [
            "model": .string(usage.model),
            "used_fallback": .bool(usage.usedFallback),
            "prompt_tokens": .int(Int64(usage.promptTokens)),
            "completion_tokens": .int(Int64(usage.completionTokens)),
            "total_tokens": .int(Int64(usage.totalTokens)),
            "attempts": .int(Int64(usage.attempts)),
        ]
    }

    /// The dataset's `metadata` document: the draft's fields, the validation notes and a short
    /// provenance block (who drafted it from which profile).
    public func metadataDocument(draftedAt: Date = Date()) -> JSONValue {
        guard case .object(var document) = self.draft.jsonValue else { return self.draft.jsonValue }
        document["validation"] = self.validation.jsonValue
        var provenance: [String: JSONValue] = [
            "author": .string(self.author),
            "generator": .string(self.generator.rawValue),
            "profile_version": .int(Int64(self.profileVersion)),
            "drafted_at": .string(ISO8601DateFormatter().string(from: draftedAt)),
        ]
        if let model = self.model { provenance["model"] = .string(model) }
        if self.usage != nil { provenance["usage"] = self.usageSummary }
        document["provenance"] = .object(provenance)
        return .object(document)
    }
}
