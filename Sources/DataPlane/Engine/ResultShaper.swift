import AnalyticsCore

/// Holds a result to the size budget (DESIGN §5.1 layer 3).
///
/// Sizes are UTF-8 bytes of the compact JSON the client receives, so the budget holds on the wire
/// whatever the transport. Rows are kept in order while they fit; the first row that would cross
/// the budget and every row after it are cut, `truncated` is set and a `RESULT_BUDGET` warning
/// says how many rows were kept and how to ask for less. A result is never cut mid-row.
struct ResultShaper: Sendable {
    /// Room kept for the fields around the rows: ids, flags, timings and a few warnings.
    static let envelopeReserve = 1_000

    var budget: Int

    struct Shaped: Sendable {
        var rows: [[JSONValue]]
        /// Rows were cut to fit the budget.
        var cut: Bool
        /// Bytes of the columns and rows as JSON (for the query log).
        var bytes: Int
        var warning: QueryWarning?
    }

    func shape(columns: [ColumnInfo], rows: [[JSONValue]]) -> Shaped {
        let columnBytes = Self.size(of: columns)
        var used = columnBytes + Self.envelopeReserve
        var kept = 0
        for row in rows {
            let cost = JSONLength.of(.array(row)) + 1
            guard used + cost <= self.budget else { break }
            used += cost
            kept += 1
        }
        let rowBytes = used - columnBytes - Self.envelopeReserve
        guard kept < rows.count else {
            return Shaped(rows: rows, cut: false, bytes: columnBytes + rowBytes, warning: nil)
        }
        let message =
            kept == 0
            ? "The first row alone exceeds the result budget of \(self.budget) characters, so no rows are returned."
            : "Only the first \(kept) of \(rows.count) rows fit the result budget of \(self.budget) characters."
        let warning = QueryWarning(
            code: "RESULT_BUDGET",
            message: message,
            hint: "Aggregate (GROUP BY with counts or weighted sums), select fewer or shorter columns, or lower limit."
        )
        return Shaped(rows: Array(rows.prefix(kept)), cut: true, bytes: columnBytes + rowBytes, warning: warning)
    }

    static func size(of columns: [ColumnInfo]) -> Int {
        var bytes = 2
        for column in columns {
            // {"name":…,"type":…},
            bytes += 20 + JSONLength.of(string: column.name) + JSONLength.of(string: column.type)
        }
        return bytes
    }
}
