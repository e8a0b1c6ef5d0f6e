import AnalyticsCore

/// What the validator changed in a draft to make it agree with the profile, stored with the draft
/// (`metadata.validation`) so reviewers see what the model got wrong.
public struct DraftValidation: Sendable, Hashable, Codable {
    /// Tables the draft documented that the profile does not have (dropped).
    public var droppedTables: [String] = []
    /// `table.column` entries the draft invented (dropped).
    public var droppedColumns: [String] = []
    /// Tables of the profile the draft left out (documented from the profile instead).
    public var completedTables: [String] = []
    /// `table.column` entries the draft left out (documented from the profile instead).
    public var completedColumns: [String] = []
    /// Other corrections, one sentence each.
    public var notes: [String] = []

    public init() {}

    /// Whether the draft matched the profile as it was.
    public var isClean: Bool {
        self.droppedTables.isEmpty && self.droppedColumns.isEmpty && self.completedTables.isEmpty && self.completedColumns.isEmpty
            && self.notes.isEmpty
    }

    enum CodingKeys: String, CodingKey {
        case notes
        case droppedTables = "dropped_tables"
        case droppedColumns = "dropped_columns"
        case completedTables = "completed_tables"
        case completedColumns = "completed_columns"
    }

    public var jsonValue: JSONValue {
        [
            "dropped_tables": .array(self.droppedTables.map(JSONValue.string)),
            "dropped_columns": .array(self.droppedColumns.map(JSONValue.string)),
            "completed_tables": .array(self.completedTables.map(JSONValue.string)),
            "completed_columns": .array(self.completedColumns.map(JSONValue.string)),
            "notes": .array(self.notes.map(JSONValue.string)),
        ]
    }
}
