import AnalyticsCore
import Foundation

/// Builds the chat request that asks a model to draft a dataset's documentation.
///
/// The system prompt carries the level-0 business rules (`business_rules.md`); the user prompt
/// carries the profile and the quality findings the control plane computed. Sample rows pass
/// through here so two rules hold whatever the caller sends: at most ``maxRawRows`` rows per
/// table reach the provider, and values of columns flagged as PII are masked.
public struct MetadataDraftPrompt: Sendable {
    /// Raw rows per table that may be shown to a model (business rule: at most 5 raw rows).
    public static let maxRawRows = 5
    /// What a PII value is replaced with.
    public static let maskedValue = "[masked]"
    public static let systemTemplate = "metadata_draft.system.md"
    public static let userTemplate = "metadata_draft.user.md"
    public static let businessRulesTemplate = "business_rules.md"

    /// Example rows of one table.
    public struct SampleRows: Sendable, Hashable {
        public var table: String
        public var rows: [[String: JSONValue]]
        /// Columns whose values are masked before the rows are shown.
        public var piiColumns: Set<String>

        public init(table: String, rows: [[String: JSONValue]], piiColumns: Set<String> = []) {
            self.table = table
            self.rows = rows
            self.piiColumns = piiColumns
        }
    }

    public var datasetName: String
    /// The profile as JSON text (schemas, tables, columns, statistics), already free of PII values.
    public var profile: String
    /// The data-quality findings as text or JSON; empty when there are none.
    public var qualityFindings: String
    public var samples: [SampleRows]

    public init(datasetName: String, profile: String, qualityFindings: String = "", samples: [SampleRows] = []) {
        self.datasetName = datasetName
        self.profile = profile
        self.qualityFindings = qualityFindings
        self.samples = samples
    }

    /// The level-0 business rules as shipped in `Prompts/business_rules.md`.
    public static func businessRules(bundle: Bundle? = nil) throws -> String {
        try PromptTemplate.load(Self.businessRulesTemplate, bundle: bundle).render([:])
    }

    /// The system and user messages.
    public func messages(bundle: Bundle? = nil) throws -> [ChatMessage] {
        let system = try PromptTemplate.load(Self.systemTemplate, bundle: bundle).render([
            "business_rules": try Self.businessRules(bundle: bundle),
            "semantic_types": MetadataDraftSchema.semanticTypes.joined(separator: ", "),
            "max_raw_rows": String(Self.maxRawRows),
        ])
        let user = try PromptTemplate.load(Self.userTemplate, bundle: bundle).render([
            "dataset_name": self.datasetName,
            "profile": self.profile,
            "quality_findings": self.qualityFindings.isEmpty ? "No findings." : self.qualityFindings,
            "sample_rows": Self.render(self.samples),
        ])
        return [.system(system), .user(user)]
    }

    /// The complete request: messages, a low temperature for stable drafts, and the draft schema.
    public func chatRequest(temperature: Double = 0.2) throws -> ChatRequest {
        ChatRequest(
            messages: try self.messages(),
            temperature: temperature,
            responseFormat: .jsonSchema(name: MetadataDraftSchema.name, schema: MetadataDraftSchema.schema),
            purpose: MetadataDraftSchema.name
        )
    }

    /// One block per table: at most ``maxRawRows`` rows as JSON objects, PII columns masked.
    static func render(_ samples: [SampleRows]) -> String {
        let blocks = samples.filter { !$0.rows.isEmpty }.map { sample in
            let rows = sample.rows.prefix(Self.maxRawRows).map { row in
                JSONValue.object(
                    row.reduce(into: [:]) { masked, cell in
                        masked[cell.key] = sample.piiColumns.contains(cell.key) && !cell.value.isNull ? .string(Self.maskedValue) : cell.value
                    }
                ).serialized()
            }
            return "Table \(sample.table) (\(rows.count) sample rows, PII masked):\n" + rows.joined(separator: "\n")
        }
        return blocks.isEmpty ? "No sample rows." : blocks.joined(separator: "\n\n")
    }
}
