/// A named segment stored with a dataset's weighting config ("urban_affluent_women").
///
/// Filters name dimension columns and *reported* values (after merges), so `nccs: ["A"]` covers
/// raw A and A1. A respondent belongs to the persona when, for every column, its reported value is
/// one of the listed values.
public struct PersonaDefinition: Sendable, Hashable {
    /// Identifier-like name clients pass as `persona` (matched case-insensitively).
    public var name: String
    /// Human label, used in narratives ("Female 25-34 NCCS A"); also accepted as `persona`.
    public var label: String
    public var description: String
    /// Dimension column → accepted reported values.
    public var filters: [String: [String]]

    public init(name: String, label: String? = nil, description: String = "", filters: [String: [String]]) {
        self.name = name
        self.label = label ?? name
        self.description = description
        self.filters = filters
    }
}
