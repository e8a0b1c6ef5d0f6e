import AnalyticsCore
import Foundation
import LLMClient
import Logging
import MetadataStore

/// Drafts a dataset's documentation from its latest profile and quality findings.
///
/// With a language model it sends the metadata-draft prompt (level-0 business rules, the profile,
/// at most 5 raw rows per table with personal data masked, the findings) and asks for the
/// JSON-schema answer; the client retries malformed answers and falls back to the fallback model,
/// and a draft that still does not fit the schema fails with `LLM_INVALID_OUTPUT`. Without a model
/// the ``OfflineMetadataDrafter`` writes the draft. Either way the draft is checked against the
/// profile by the ``DraftValidator`` before anyone sees it.
public struct DraftingService: Sendable {
    let store: any MetadataStore
    let model: (any LanguageModel)?
    public var promptBuilder: DraftPromptBuilder
    let logger: Logger

    /// - Parameter model: `nil` (no API key) drafts offline.
    public init(store: any MetadataStore, model: (any LanguageModel)?, promptBuilder: DraftPromptBuilder = DraftPromptBuilder(), logger: Logger) {
        self.store = store
        self.model = model
        self.promptBuilder = promptBuilder
        self.logger = logger
    }

    /// Whether drafts come from the offline drafter.
    public var isOffline: Bool { self.model?.isOffline ?? true }

    /// Drafts from the dataset's latest profile. Throws `DATASET_NOT_FOUND`, `PROFILE_NOT_FOUND`,
    /// and the model's `LLM_UNAVAILABLE` / `LLM_INVALID_OUTPUT`.
    public func draft(datasetID: String) async throws -> DraftOutcome {
        guard let dataset = try await self.store.dataset(id: datasetID) else { throw AnalyticsError.datasetNotFound(datasetID) }
        guard let profile = try await self.store.latestProfile(datasetID: datasetID) else {
            throw AnalyticsError(
                .profileNotFound,
                "Dataset '\(datasetID)' has no profile to draft its documentation from.",
                hint: "Profile it first with POST /api/datasets/\(datasetID)/profile."
            )
        }
        let findings = try await self.store.qualityFindings(datasetID: datasetID, version: profile.version)
        return try await self.draft(dataset: dataset, profile: profile, findings: findings)
    }

    public func draft(dataset: Dataset, profile: DatasetProfile, findings: [QualityFinding]) async throws -> DraftOutcome {
        let validator = DraftValidator(profile: profile)
        guard let model = self.model, !model.isOffline else {
            let draft = OfflineMetadataDrafter().draft(dataset: dataset, profile: profile, findings: findings)
            let (validated, validation) = validator.validate(draft)
            return DraftOutcome(
                draft: validated,
                validation: validation,
                generator: .offline,
                model: nil,
                usage: nil,
                profileVersion: profile.version
            )
        }
        let request = try self.promptBuilder.prompt(dataset: dataset, profile: profile, findings: findings).chatRequest()
        let response = try await model.chat(request)
        guard let json = response.json else {
            throw AnalyticsError(
                .llmInvalidOutput,
                "The language model did not answer with a JSON metadata draft.",
                hint: "Check that the model supports structured output, or unset the API key to draft offline."
            )
        }
        let (validated, validation) = validator.validate(try MetadataDraft(json: json))
        if !validation.isClean {
            self.logger.info(
                "metadata draft corrected against the profile",
                metadata: [
                    "mcpa.dataset": "\(dataset.id)",
                    "mcpa.draft.dropped_tables": "\(validation.droppedTables.count)",
                    "mcpa.draft.dropped_columns": "\(validation.droppedColumns.count)",
                    "mcpa.draft.completed_columns": "\(validation.completedColumns.count)",
                ]
            )
        }
        return DraftOutcome(
            draft: validated,
            validation: validation,
            generator: .llm,
            model: response.usage.model,
            usage: response.usage,
            profileVersion: profile.version
        )
    }
}
