/// The statement every measured call runs. Each call gets a fresh constant (at least 10^6, above
/// every respondent id, so the result is the same) so the server's result cache never answers.
public enum BenchStatement: String, Sendable, Hashable, CaseIterable {
    /// Weighted counts by region: a small aggregate over the respondents.
    case weightedAggregate = "weighted-aggregate"
    /// A weighted share by socio-economic class over every respondent — on a large panel, a
    /// statement PostgreSQL plans with parallel workers.
    case weightedShare = "weighted-share"
    /// A constant: what the server adds to a round trip that costs the database nothing.
    case selectOne = "select-1"

    public func sql(constant: Int) -> String {
        self.sql(literal: String(constant))
    }

    func sql(literal: String) -> String {
        switch self {
        case .weightedAggregate:
            "SELECT region, SUM(weight) AS w FROM respondents WHERE respondent_id < \(literal) GROUP BY region"
        case .weightedShare:
            "SELECT nccs, SUM(weight) / SUM(SUM(weight)) OVER () AS share, COUNT(*) AS n FROM respondents WHERE respondent_id < \(literal) GROUP BY nccs ORDER BY nccs"
        case .selectOne:
            "SELECT 1 AS one WHERE \(literal) > 0"
        }
    }
}
