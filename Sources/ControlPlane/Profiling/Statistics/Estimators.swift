/// The small statistics the profiler computes in process.
enum Estimators {
    /// Quantiles reported for numeric columns, with their keys.
    static let quantiles: [(key: String, q: Double)] = [("p05", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p95", 0.95)]

    /// Distinct values in the whole column from a sample: the Haas–Stokes "Duj1" estimator that
    /// PostgreSQL's ANALYZE uses, `n·d / (n − f1 + f1·n/N)`.
    ///
    /// - Parameters:
    ///   - sampled: non-null values in the sample (n); `distinct`: distinct among them (d);
    ///     `singletons`: values seen exactly once (f1); `population`: non-null values in the column (N).
    static func distinct(sampled: Double, distinct: Double, singletons: Double, population: Double) -> Double {
        guard sampled > 0, population > sampled else { return distinct }
        let denominator = sampled - singletons + singletons * sampled / population
        guard denominator > 0 else { return distinct }
        return min(population, max(distinct, sampled * distinct / denominator))
    }

    /// `percentile_cont` over an ordered, evenly thinned sample: `points` are (1-based rank, value)
    /// pairs in rank order, `count` the number of values the ranks are taken from. The value at rank
    /// `1 + q·(count − 1)` is interpolated linearly between the nearest points.
    static func quantile(_ q: Double, points: [(rank: Double, value: Double)], count: Double) -> Double? {
        guard let first = points.first, let last = points.last, count >= 1 else { return nil }
        let target = 1 + q * (count - 1)
        if target <= first.rank { return first.value }
        if target >= last.rank { return last.value }
        var low = 0
        var high = points.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if points[middle].rank <= target { low = middle } else { high = middle }
        }
        let a = points[low]
        let b = points[high]
        guard b.rank > a.rank else { return a.value }
        return a.value + (b.value - a.value) * (target - a.rank) / (b.rank - a.rank)
    }
}
