import Foundation

/// What the profiler learned about a dataset at one point in time (a versioned snapshot).
///
/// It feeds everything that explains a dataset: progressive context for MCP clients
/// (`describe_dataset`), search, quality rules, metadata drafting and drift detection. Values that
/// could identify a person are masked before they enter a profile (see ``ColumnProfile/pii``).
public struct DatasetProfile: Sendable, Codable, Hashable {
    public var datasetID: String
    /// 1, 2, 3… per dataset; the latest snapshot is the current profile.
    public var version: Int
    public var createdAt: Date
    /// `postgres` or `sqlite`.
    public var backend: String
    public var tables: [TableProfile]
    /// A weighting config (DESIGN §5.2 document) the profiler proposes from weight-like and
    /// dimension-like columns; reviewers accept or edit it.
    public var suggestedWeighting: JSONValue?
    /// Seconds the profiling run took.
    public var durationSeconds: Double

    public init(
        datasetID: String,
        version: Int,
        createdAt: Date,
        backend: String,
        tables: [TableProfile],
        suggestedWeighting: JSONValue? = nil,
        durationSeconds: Double
    ) {
        self.datasetID = datasetID
        self.version = version
        self.createdAt = createdAt
        self.backend = backend
        self.tables = tables
        self.suggestedWeighting = suggestedWeighting
        self.durationSeconds = durationSeconds
    }

    enum CodingKeys: String, CodingKey {
        case version, backend, tables
        case datasetID = "dataset_id"
        case createdAt = "created_at"
        case suggestedWeighting = "suggested_weighting"
        case durationSeconds = "duration_seconds"
    }

    /// The table named `name` (optionally schema-qualified as `schema.name`).
    public func table(named name: String) -> TableProfile? {
        self.tables.first { $0.name == name || $0.qualifiedName == name }
    }
}

/// One table or view.
public struct TableProfile: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable {
        case table
        case view
        case materializedView = "materialized_view"
    }

    /// `nil` for SQLite.
    public var schema: String?
    public var name: String
    public var kind: Kind
    public var comment: String?
    public var rowCount: Int64
    /// False when `rowCount` is a catalogue estimate (large tables).
    public var rowCountExact: Bool
    /// Percent of rows the statistics were computed on (100 when not sampled).
    public var samplePercent: Double
    public var primaryKey: [String]
    public var foreignKeys: [ForeignKey]
    public var columns: [ColumnProfile]
    /// At most 5 rows, PII masked; keys are column names.
    public var sampleRows: [[String: JSONValue]]
    /// Statistics the profiler could not compute (e.g. a statement that timed out), so readers know
    /// a missing number is missing rather than zero.
    public var warnings: [String]?

    public init(
        schema: String?,
        name: String,
        kind: Kind,
        comment: String? = nil,
        rowCount: Int64,
        rowCountExact: Bool,
        samplePercent: Double = 100,
        primaryKey: [String] = [],
        foreignKeys: [ForeignKey] = [],
        columns: [ColumnProfile],
        sampleRows: [[String: JSONValue]] = [],
        warnings: [String]? = nil
    ) {
        self.schema = schema
        self.name = name
        self.kind = kind
        self.comment = comment
        self.rowCount = rowCount
        self.rowCountExact = rowCountExact
        self.samplePercent = samplePercent
        self.primaryKey = primaryKey
        self.foreignKeys = foreignKeys
        self.columns = columns
        self.sampleRows = sampleRows
        self.warnings = warnings
    }

    /// `schema.name`, or `name` when there is no schema or it is `public`.
    public var qualifiedName: String {
        guard let schema, schema != "public" else { return self.name }
        return "\(schema).\(self.name)"
    }

    public func column(named name: String) -> ColumnProfile? {
        self.columns.first { $0.name == name }
    }

    enum CodingKeys: String, CodingKey {
        case schema, name, kind, comment, columns, warnings
        case rowCount = "row_count"
        case rowCountExact = "row_count_exact"
        case samplePercent = "sample_percent"
        case primaryKey = "primary_key"
        case foreignKeys = "foreign_keys"
        case sampleRows = "sample_rows"
    }
}

/// A foreign key: `columns` of this table reference `referencedColumns` of `referencedTable`.
public struct ForeignKey: Sendable, Codable, Hashable {
    public var columns: [String]
    public var referencedTable: String
    public var referencedColumns: [String]

    public init(columns: [String], referencedTable: String, referencedColumns: [String]) {
        self.columns = columns
        self.referencedTable = referencedTable
        self.referencedColumns = referencedColumns
    }

    enum CodingKeys: String, CodingKey {
        case columns
        case referencedTable = "referenced_table"
        case referencedColumns = "referenced_columns"
    }
}

/// Statistics and classification of one column.
public struct ColumnProfile: Sendable, Codable, Hashable {
    public var name: String
    /// The database's type name.
    public var type: String
    public var nullable: Bool
    public var comment: String?
    public var nullFraction: Double?
    public var distinctEstimate: Double?
    public var min: JSONValue?
    public var max: JSONValue?
    /// Most frequent values with their share of non-null rows (masked when PII).
    public var topValues: [ValueFrequency]
    /// e.g. `{"p05": …, "p25": …, "p50": …, "p75": …, "p95": …}` for numeric columns.
    public var quantiles: [String: Double]?
    /// Mean and population standard deviation of numeric columns (weight checks, context level 2).
    public var mean: Double?
    public var standardDeviation: Double?
    /// First and last date for temporal columns and text columns that hold dates.
    public var dateCoverage: DateCoverage?
    /// Set when the column looks like personal data; its values are masked everywhere.
    public var pii: String?
    /// Roles the profiler suspects: `respondent_key`, `weight`, `dimension`, `event_time`, `measure`.
    public var roles: [String]

    public init(
        name: String,
        type: String,
        nullable: Bool = true,
        comment: String? = nil,
        nullFraction: Double? = nil,
        distinctEstimate: Double? = nil,
        min: JSONValue? = nil,
        max: JSONValue? = nil,
        topValues: [ValueFrequency] = [],
        quantiles: [String: Double]? = nil,
        mean: Double? = nil,
        standardDeviation: Double? = nil,
        dateCoverage: DateCoverage? = nil,
        pii: String? = nil,
        roles: [String] = []
    ) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.comment = comment
        self.nullFraction = nullFraction
        self.distinctEstimate = distinctEstimate
        self.min = min
        self.max = max
        self.topValues = topValues
        self.quantiles = quantiles
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.dateCoverage = dateCoverage
        self.pii = pii
        self.roles = roles
    }

    enum CodingKeys: String, CodingKey {
        case name, type, nullable, comment, min, max, quantiles, mean, pii, roles
        case standardDeviation = "stddev"
        case nullFraction = "null_fraction"
        case distinctEstimate = "distinct_estimate"
        case topValues = "top_values"
        case dateCoverage = "date_coverage"
    }
}

/// A value and its share of the non-null rows (0–1).
public struct ValueFrequency: Sendable, Codable, Hashable {
    public var value: JSONValue
    public var share: Double

    public init(value: JSONValue, share: Double) {
        self.value = value
        self.share = share
    }
}

/// The span of dates a column covers; `format` names the text format when dates are stored as text.
public struct DateCoverage: Sendable, Codable, Hashable {
    public var first: String
    public var last: String
    public var format: String?
    /// For text columns: the share of sampled date values in each detected format (e.g.
    /// `{"YYYY-MM-DD": 0.93, "DD/MM/YYYY": 0.07}`); more than one entry means the formats are mixed.
    public var formatShares: [String: Double]?

    public init(first: String, last: String, format: String? = nil, formatShares: [String: Double]? = nil) {
        self.first = first
        self.last = last
        self.format = format
        self.formatShares = formatShares
    }

    enum CodingKeys: String, CodingKey {
        case first, last, format
        case formatShares = "format_shares"
    }
}
