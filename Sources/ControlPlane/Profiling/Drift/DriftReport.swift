import AnalyticsCore

/// What changed between two profile snapshots of a dataset: schema changes, row-volume shifts and
/// null-rate shifts (DESIGN §5.4). The scheduler turns a report with changes into a review item;
/// the dataset stays active meanwhile.
public struct DriftReport: Sendable, Codable, Hashable {
    public struct Change: Sendable, Codable, Hashable {
        public enum Kind: String, Sendable, Codable, Hashable, CaseIterable {
            case tableAdded = "table_added"
            case tableRemoved = "table_removed"
            case columnAdded = "column_added"
            case columnRemoved = "column_removed"
            case columnRetyped = "column_retyped"
            case rowVolumeChanged = "row_volume_changed"
            case nullRateShifted = "null_rate_shifted"
        }

        public var kind: Kind
        /// The table as ``TableProfile/qualifiedName``.
        public var table: String
        public var column: String?
        /// The old and new value: a type name, a row count or a null fraction.
        public var before: JSONValue?
        public var after: JSONValue?
        public var message: String

        public init(kind: Kind, table: String, column: String? = nil, before: JSONValue? = nil, after: JSONValue? = nil, message: String) {
            self.kind = kind
            self.table = table
            self.column = column
            self.before = before
            self.after = after
            self.message = message
        }
    }

    public var datasetID: String
    public var fromVersion: Int
    public var toVersion: Int
    public var changes: [Change]

    public init(datasetID: String, fromVersion: Int, toVersion: Int, changes: [Change]) {
        self.datasetID = datasetID
        self.fromVersion = fromVersion
        self.toVersion = toVersion
        self.changes = changes
    }

    public var hasDrift: Bool { !self.changes.isEmpty }

    /// Changes of one kind.
    public func changes(_ kind: Change.Kind) -> [Change] {
        self.changes.filter { $0.kind == kind }
    }

    enum CodingKeys: String, CodingKey {
        case changes
        case datasetID = "dataset_id"
        case fromVersion = "from_version"
        case toVersion = "to_version"
    }
}
