import AnalyticsCore
import DataPlane
import Foundation

/// Turns a table's raw statistics into its ``TableProfile``: shares and estimates, date coverage
/// and formats, personal-data flags — and masks every value of a flagged column (top values,
/// min/max, sample rows; quantiles, means and coverage are dropped) before anything leaves the
/// profiler.
struct TableAssembler: Sendable {
    var dates = DateFormatDetector()
    var pii = PIIDetector()
    /// Longest text kept for min/max, top values and sample-row values.
    var maximumTextLength = 120

    func assemble(_ statistics: TableStatistics) -> TableProfile {
        let table = statistics.table
        let keyColumns = Set(table.primaryKey + table.foreignKeys.flatMap(\.columns))
        var masks: [String: PIIKind] = [:]
        let columns = table.columns.map { column -> ColumnProfile in
            let values = statistics.columns[column.name]
            var profile = ColumnProfile(name: column.name, type: column.type, nullable: column.nullable, comment: column.comment)
            guard let values, values.measured else {
                // No statistics, but sample rows may still show the column: mask by name alone.
                if let kind = PIIDetector.byName(column.name) {
                    masks[column.name] = kind
                    self.mask(&profile, as: kind)
                }
                return profile
            }
            let rows = statistics.profiledRows
            let nonNull = values.nonNull
            profile.nullFraction = rows > 0 ? Double(rows - nonNull) / Double(rows) : nil
            if let distinct = values.distinctInSample {
                profile.distinctEstimate = self.distinct(values, distinct: distinct, catalogue: column.catalogueDistinct, statistics: statistics)
            }
            profile.min = values.min.map(self.trimmed)
            profile.max = values.max.map(self.trimmed)
            profile.topValues = values.top.map {
                ValueFrequency(value: self.trimmed($0.value), share: nonNull > 0 ? Double($0.count) / Double(nonNull) : 0)
            }
            profile.quantiles = values.quantiles
            profile.mean = values.mean
            if let mean = values.mean, let squares = values.meanOfSquares {
                profile.standardDeviation = (max(0, squares - mean * mean)).squareRoot()
            }
            let texts = values.probe.compactMap(Self.text)
            let detected = self.dates.detect(texts, columnName: column.name)
            profile.dateCoverage = self.coverage(column, values: values, detected: detected)
            let distinctRatio = values.distinctInSample.map { nonNull > 0 ? Double($0) / Double(nonNull) : 0 }
            if let kind = self.pii.detect(
                columnName: column.name,
                kind: column.kind,
                isKey: keyColumns.contains(column.name),
                holdsDates: detected != nil || column.kind.isTemporal,
                evidence: PIIDetector.Evidence(values: texts, distinctRatio: distinctRatio)
            ) {
                masks[column.name] = kind
                self.mask(&profile, as: kind)
            }
            return profile
        }
        return TableProfile(
            schema: table.schema,
            name: table.name,
            kind: table.kind,
            comment: table.comment,
            rowCount: statistics.rowCount,
            rowCountExact: statistics.rowCountExact,
            samplePercent: statistics.plan.percent,
            primaryKey: table.primaryKey,
            foreignKeys: table.foreignKeys,
            columns: columns,
            sampleRows: self.sampleRows(statistics.sampleRows, masks: masks),
            warnings: statistics.warnings.isEmpty ? nil : statistics.warnings
        )
    }

    /// Exact distinct count when every row was read. When sampled: PostgreSQL's `ANALYZE` estimate
    /// if there is one (random rows see clustered values better than sampled pages), else the
    /// Duj1 estimate from the sample — never below what the sample itself saw.
    private func distinct(_ values: TableStatistics.Column, distinct: Int64, catalogue: Double?, statistics: TableStatistics) -> Double {
        guard statistics.plan.isSampled, statistics.profiledRows > 0 else { return Double(distinct) }
        if let catalogue, catalogue != 0 {
            let estimate = catalogue > 0 ? catalogue : -catalogue * Double(statistics.rowCount)
            return max(Double(distinct), estimate.rounded())
        }
        let population = Double(statistics.rowCount) * Double(values.nonNull) / Double(statistics.profiledRows)
        return Estimators.distinct(
            sampled: Double(values.nonNull),
            distinct: Double(distinct),
            singletons: Double(values.singletonsInSample ?? 0),
            population: population
        ).rounded()
    }

    /// Typed temporal columns span their min and max; text columns that hold dates span the dates
    /// read (min and max when the format sorts as text), with the formats seen.
    private func coverage(_ column: CatalogTable.Column, values: TableStatistics.Column, detected: DateFormatDetector.Result?) -> DateCoverage? {
        let minText = values.min.flatMap(Self.text)
        let maxText = values.max.flatMap(Self.text)
        guard let detected else {
            guard column.kind.isTemporal, let minText, let maxText else { return nil }
            return DateCoverage(first: minText, last: maxText)
        }
        let shares = Dictionary(uniqueKeysWithValues: detected.shares.map { ($0.key.rawValue, $0.value) })
        var first = detected.first.text
        var last = detected.last.text
        let sortable: Set<DateFormat> = [.isoDate, .isoDateTime, .isoTimestamp, .slashYearFirst, .compact]
        if detected.shares.count == 1, sortable.contains(detected.dominant), let minText, let maxText,
            case .definite(_, let low)? = DateFormatDetector.parse(minText, allowCompact: true),
            case .definite(_, let high)? = DateFormatDetector.parse(maxText, allowCompact: true)
        {
            first = low.text
            last = high.text
        }
        return DateCoverage(first: first, last: last, format: detected.dominant.rawValue, formatShares: shares)
    }

    private func mask(_ profile: inout ColumnProfile, as kind: PIIKind) {
        profile.pii = kind.rawValue
        let masked = JSONValue.string(kind.mask)
        profile.min = profile.min.map { _ in masked }
        profile.max = profile.max.map { _ in masked }
        profile.topValues = profile.topValues.map { ValueFrequency(value: masked, share: $0.share) }
        profile.quantiles = nil
        profile.mean = nil
        profile.standardDeviation = nil
        profile.dateCoverage = nil
    }

    private func sampleRows(_ rows: RawRows?, masks: [String: PIIKind]) -> [[String: JSONValue]] {
        guard let rows else { return [] }
        let names = rows.columns.map(\.name)
        return rows.rows.prefix(5).map { row in
            var object: [String: JSONValue] = [:]
            for (name, value) in zip(names, row) {
                if let kind = masks[name], !value.isNull {
                    object[name] = .string(kind.mask)
                } else {
                    object[name] = self.trimmed(value)
                }
            }
            return object
        }
    }

    private func trimmed(_ value: JSONValue) -> JSONValue {
        guard case .string(let text) = value, text.count > self.maximumTextLength else { return value }
        return .string(String(text.prefix(self.maximumTextLength)) + "…")
    }

    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .int(let int): String(int)
        case .number(let literal): literal
        default: nil
        }
    }
}
