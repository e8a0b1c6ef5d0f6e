import AnalyticsCore

/// Compares two profile snapshots of one dataset and reports what drifted.
///
/// Tables are matched by qualified name and columns by name, so a rename shows as one column
/// removed and one added. Row counts and null fractions are compared against thresholds because
/// estimates and samples move a little between runs on unchanged data.
public struct DriftDetector: Sendable {
    /// Relative row-count change that counts as a volume shift (0.1 = ±10 %).
    public var rowVolumeThreshold: Double
    /// Absolute change of a column's null fraction that counts as a shift (0.1 = 10 points).
    public var nullRateThreshold: Double

    public init(rowVolumeThreshold: Double = 0.1, nullRateThreshold: Double = 0.1) {
        self.rowVolumeThreshold = rowVolumeThreshold
        self.nullRateThreshold = nullRateThreshold
    }

    public func compare(_ old: DatasetProfile, _ new: DatasetProfile) -> DriftReport {
        var changes: [DriftReport.Change] = []
        let oldTables = Dictionary(old.tables.map { ($0.qualifiedName, $0) }, uniquingKeysWith: { first, _ in first })
        let newNames = Set(new.tables.map(\.qualifiedName))
        for table in new.tables {
            guard let before = oldTables[table.qualifiedName] else {
                changes.append(
                    .init(
                        kind: .tableAdded,
                        table: table.qualifiedName,
                        after: .int(table.rowCount),
                        message: "Table \(table.qualifiedName) appeared."
                    )
                )
                continue
            }
            changes += self.compare(before, table)
        }
        for table in old.tables where !newNames.contains(table.qualifiedName) {
            changes.append(
                .init(
                    kind: .tableRemoved,
                    table: table.qualifiedName,
                    before: .int(table.rowCount),
                    message: "Table \(table.qualifiedName) disappeared."
                )
            )
        }
        return DriftReport(datasetID: new.datasetID, fromVersion: old.version, toVersion: new.version, changes: changes)
    }

    private func compare(_ old: TableProfile, _ new: TableProfile) -> [DriftReport.Change] {
        let table = new.qualifiedName
        var changes: [DriftReport.Change] = []
        let oldColumns = Dictionary(old.columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newColumns = Set(new.columns.map(\.name))
        for column in new.columns {
            guard let before = oldColumns[column.name] else {
                changes.append(
                    .init(
                        kind: .columnAdded,
                        table: table,
                        column: column.name,
                        after: .string(column.type),
                        message: "Column \(table).\(column.name) (\(column.type)) was added."
                    )
                )
                continue
            }
            if before.type != column.type {
                changes.append(
                    .init(
                        kind: .columnRetyped,
                        table: table,
                        column: column.name,
                        before: .string(before.type),
                        after: .string(column.type),
                        message: "Column \(table).\(column.name) changed type from \(before.type) to \(column.type)."
                    )
                )
            }
            if let a = before.nullFraction, let b = column.nullFraction, abs(b - a) >= self.nullRateThreshold {
                changes.append(
                    .init(
                        kind: .nullRateShifted,
                        table: table,
                        column: column.name,
                        before: .double(a),
                        after: .double(b),
                        message: "Nulls in \(table).\(column.name) went from \(Self.percent(a)) to \(Self.percent(b))."
                    )
                )
            }
        }
        for column in old.columns where !newColumns.contains(column.name) {
            changes.append(
                .init(
                    kind: .columnRemoved,
                    table: table,
                    column: column.name,
                    before: .string(column.type),
                    message: "Column \(table).\(column.name) was removed."
                )
            )
        }
        let relative = Double(new.rowCount - old.rowCount) / Double(max(old.rowCount, 1))
        if new.rowCount != old.rowCount && (abs(relative) >= self.rowVolumeThreshold || old.rowCount == 0) {
            changes.append(
                .init(
                    kind: .rowVolumeChanged,
                    table: table,
                    before: .int(old.rowCount),
                    after: .int(new.rowCount),
                    message: "Rows in \(table) went from \(old.rowCount) to \(new.rowCount) (\(relative >= 0 ? "+" : "")\(Self.percent(relative)))."
                )
            )
        }
        return changes
    }

    static func percent(_ fraction: Double) -> String {
        let value = (fraction * 1000).rounded() / 10
        return "\(value)%"
    }
}
