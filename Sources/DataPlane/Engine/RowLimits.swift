import AnalyticsCore

/// How many rows one query may return, from the caller's `limit` and the dataset's settings.
///
/// - Aggregated results (and `EXPLAIN` plans) return `limit` rows, `default_row_limit` without one,
///   never more than `max_row_limit`.
/// - Non-aggregated (respondent-level) results return at most `raw_row_limit`, whatever `limit`
///   says (DESIGN §5.1 layer 3): the guard decides what is raw, not the caller.
///
/// The connector reads one row more than ``maxRows`` so `truncated` is exact; the cap that bound a
/// truncated result is named in a warning so the client knows what to change.
struct RowLimits: Sendable, Hashable {
    enum Bound: Sendable, Hashable {
        /// The caller's `limit` or the dataset's default.
        case requested
        /// `max_row_limit` clamped a larger `limit`.
        case datasetMaximum
        /// `raw_row_limit` capped a row-level query.
        case rawRows
    }

    /// Rows returned at most.
    var maxRows: Int
    /// Which cap ``maxRows`` is.
    var bound: Bound
    /// Whether the query is row-level (capped at `raw_row_limit`, run under the raw timeout).
    var isRaw: Bool

    init(settings: DatasetSettings, requested: Int?, isRaw: Bool) throws {
        if let requested, requested < 1 {
            throw AnalyticsError.invalidRequest(
                "limit must be at least 1, got \(requested).",
                hint: "Leave limit out for the dataset's default of \(settings.defaultRowLimit) rows."
            )
        }
        var rows = requested ?? settings.defaultRowLimit
        var bound = Bound.requested
        if rows > settings.maxRowLimit {
            rows = settings.maxRowLimit
            bound = .datasetMaximum
        }
        if isRaw, rows > settings.rawRowLimit {
            rows = settings.rawRowLimit
            bound = .rawRows
        }
        self.maxRows = max(0, rows)
        self.bound = bound
        self.isRaw = isRaw
    }

    /// The warning for a result cut at ``maxRows``.
    func truncationWarning(settings: DatasetSettings) -> QueryWarning {
        switch self.bound {
        case .rawRows:
            return QueryWarning(
                code: "RAW_ROW_LIMIT",
                message: "Row-level results are capped at \(self.maxRows) rows (raw_row_limit); the query has more.",
                hint: "Aggregate instead (GROUP BY, count, weighted sums) to analyse all rows; row-level output is only a sample."
            )
        case .datasetMaximum:
            return QueryWarning(
                code: "ROW_LIMIT",
                message: "Results on this dataset are capped at \(self.maxRows) rows (max_row_limit); the query has more.",
                hint: "Aggregate further or filter to fewer groups."
            )
        case .requested:
            return QueryWarning(
                code: "TRUNCATED",
                message: "Only the first \(self.maxRows) rows are returned; the query has more.",
                hint: "Aggregate or filter further, or raise limit (at most \(settings.maxRowLimit))."
            )
        }
    }
}
