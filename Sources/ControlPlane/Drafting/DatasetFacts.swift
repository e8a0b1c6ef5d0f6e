import AnalyticsCore

/// What the offline drafter reads off a profile once: the respondent table and weight (from the
/// suggested weighting or the columns' roles), dimensions, event tables and the overall date span.
struct DatasetFacts: Sendable {
    struct DateSpan: Sendable {
        var first: String
        var last: String
        var columns: [String]
    }

    let tables: [TableProfile]
    let totalRows: Int64
    let respondentTable: String?
    let respondentKey: String?
    let weightColumn: String?
    let dimensions: [String]
    let eventTables: [String]
    let dateSpan: DateSpan?
    let piiColumns: [String]

    init(profile: DatasetProfile) {
        self.tables = profile.tables
        self.totalRows = profile.tables.reduce(0) { $0 + $1.rowCount }
        let weighting = profile.suggestedWeighting
        let weightTable = profile.tables.first { $0.columns.contains { $0.roles.contains("weight") } }
        let respondentTable = weighting?["respondent_table"]?.stringValue ?? weightTable?.qualifiedName
        self.respondentTable = respondentTable
        self.respondentKey =
            weighting?["respondent_key"]?.stringValue
            ?? weightTable?.columns.first { $0.roles.contains("respondent_key") }?.name
            ?? weightTable?.primaryKey.first
        self.weightColumn = weighting?["weight_column"]?.stringValue ?? weightTable?.columns.first { $0.roles.contains("weight") }?.name
        let dimensionColumns = weighting?["dimensions"]?.arrayValue?.compactMap { $0["column"]?.stringValue }
        self.dimensions = dimensionColumns ?? (weightTable?.columns.filter { $0.roles.contains("dimension") }.map(\.name) ?? [])
        let eventTables = weighting?["event_tables"]?.arrayValue?.compactMap { $0["table"]?.stringValue }
        self.eventTables =
            eventTables
            ?? profile.tables.filter { table in
                table.qualifiedName != respondentTable && table.columns.contains { $0.roles.contains("event_time") }
            }.map(\.qualifiedName)
        var first: String?
        var last: String?
        var columns: [String] = []
        for table in profile.tables {
            for column in table.columns where column.pii == nil {
                guard let coverage = column.dateCoverage else { continue }
                let start = String(coverage.first.prefix(10))
                let end = String(coverage.last.prefix(10))
                if first.map({ start < $0 }) ?? true { first = start }
                if last.map({ end > $0 }) ?? true { last = end }
                columns.append("\(table.qualifiedName).\(column.name)")
            }
        }
        if let first, let last {
            self.dateSpan = DateSpan(first: first, last: last, columns: columns)
        } else {
            self.dateSpan = nil
        }
        self.piiColumns = profile.tables.flatMap { table in
            table.columns.filter { $0.pii != nil }.map { "\(table.qualifiedName).\($0.name)" }
        }
    }
}
