import AnalyticsCore
import MetadataStore

extension WeightingService {
    /// The dataset's named personas.
    public func personas(_ id: String, by principal: Principal) async throws -> [PersonaDefinition] {
        try await self.config(id, by: principal).config.personas
    }

    /// Adds or replaces the persona called `persona.name` (case-insensitively), as a new version.
    /// Its filters must name dimensions and reported values of the config (`INVALID_WEIGHTING_CONFIG`).
    public func putPersona(_ id: String, _ persona: PersonaDefinition, by principal: Principal) async throws -> PersonaDefinition {
        try principal.require(.editMetadata)
        let problems = try await self.config(id, by: principal).config.personaProblems(persona, at: "persona")
        guard problems.isEmpty else { throw WeightingService.invalidPersona(problems) }
        let key = PersonaText.normalized(persona.name)
        _ = try await self.store.updateDataset(id: id, actor: principal.id, note: "persona '\(persona.name)' saved") { dataset in
            var config = try dataset.weightingConfig()
            if let index = config.personas.firstIndex(where: { PersonaText.normalized($0.name) == key }) {
                config.personas[index] = persona
            } else {
                config.personas.append(persona)
            }
            dataset.weighting = config.document
        }
        return persona
    }

    /// Removes a persona; `NOT_FOUND` when there is none by that name.
    public func deletePersona(_ id: String, name: String, by principal: Principal) async throws {
        try principal.require(.editMetadata)
        let key = PersonaText.normalized(name)
        guard try await self.config(id, by: principal).config.personas.contains(where: { PersonaText.normalized($0.name) == key }) else {
            throw AnalyticsError(.notFound, "Dataset '\(id)' has no persona '\(name)'.", hint: "List the personas to see their names.")
        }
        _ = try await self.store.updateDataset(id: id, actor: principal.id, note: "persona '\(name)' deleted") { dataset in
            var config = try dataset.weightingConfig()
            config.personas.removeAll { PersonaText.normalized($0.name) == key }
            dataset.weighting = config.document
        }
    }

    /// How `text` resolves (a stored persona or free text) without running anything.
    public func resolvePersona(_ id: String, text: String, by principal: Principal) async throws -> PersonaSegment {
        let config = try await self.config(id, by: principal).config
        guard let segment = try PersonaParser(config: config).resolve(text) else {
            throw AnalyticsError.invalidRequest(
                "The persona text is empty.",
                hint: "Send a stored persona name or a description such as 'Female 25-34'."
            )
        }
        return segment
    }

    static func invalidPersona(_ problems: [String]) -> AnalyticsError {
        AnalyticsError(
            .invalidWeightingConfig,
            "Invalid persona: \(problems.first ?? "not valid")\(problems.count > 1 ? " (and \(problems.count - 1) more)" : "").",
            hint: "Filters name dimension columns and their reported values (after merges).",
            details: .object(["problems": .array(problems.map(JSONValue.string))])
        )
    }
}
