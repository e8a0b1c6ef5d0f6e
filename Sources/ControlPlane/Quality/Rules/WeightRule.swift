import AnalyticsCore

/// Survey-weight presence and validity (DESIGN §5.2): a weighted dataset needs a weight column,
/// and every weight must be present and positive, without extreme values that let a few
/// respondents dominate, and with a reasonable effective sample size (Kish n_eff / n).
public struct WeightRule: QualityRule {
    public var ruleIDs: [String] {
        ["weight.missing", "weight.nulls", "weight.non_positive", "weight.extreme_ratio", "weight.low_efficiency"]
    }

    public init() {}

    public func evaluate(_ context: QualityContext) async throws -> [QualityFinding] {
        guard !context.profile.tables.isEmpty else { return [] }
        guard let config = context.effectiveWeighting, let column = config["weight_column"]?.stringValue,
            let tableName = config["respondent_table"]?.stringValue
        else {
            return [
                QualityFinding(
                    ruleID: "weight.missing",
                    severity: .warning,
                    message: "No survey weight column was found or configured; weighted answers are impossible until one is.",
                    evidence: ["tables": .int(Int64(context.profile.tables.count))]
                )
            ]
        }
        guard let table = context.table(tableName), let profile = table.column(named: column) else {
            return [
                QualityFinding(
                    ruleID: "weight.missing",
                    severity: .error,
                    table: tableName,
                    column: column,
                    message: "The configured weight column \(tableName).\(column) does not exist.",
                    evidence: ["configured_table": .string(tableName), "configured_column": .string(column)]
                )
            ]
        }
        let numbers = try await self.numbers(table, column: profile, context: context)
        return self.findings(numbers, table: table.qualifiedName, column: column, configuration: context.configuration)
    }

    struct Numbers {
        var rows: Double
        var nonNull: Double
        var nonPositive: Double?
        var minimum: Double?
        var maximum: Double?
        var mean: Double?
        /// Kish n_eff over the positive weights, and how many positive weights there are.
        var effective: Double?
        var positive: Double?
        var samplePercent: Double
    }

    /// Exact numbers from the data when a connector is at hand (on the profile's sample), else the profile's.
    private func numbers(_ table: TableProfile, column: ColumnProfile, context: QualityContext) async throws -> Numbers {
        guard let connector = context.connector else {
            let rows = Double(table.rowCount)
            let nonNull = rows * (1 - (column.nullFraction ?? 0))
            var effective: Double?
            if let mean = column.mean, let sd = column.standardDeviation, mean > 0 {
                effective = nonNull * mean * mean / (mean * mean + sd * sd)
            }
            return Numbers(
                rows: rows,
                nonNull: nonNull,
                nonPositive: nil,
                minimum: column.min?.doubleValue,
                maximum: column.max?.doubleValue,
                mean: column.mean,
                effective: effective,
                positive: (column.min?.doubleValue ?? 0) > 0 ? nonNull : nil,
                samplePercent: table.samplePercent
            )
        }
        let sampler = QualitySampler(connector: connector, timeout: context.configuration.statementTimeout)
        let plan = try await sampler.plan(table)
        var builder = SQLBuilder()
        let source = try sampler.source(table, plan: plan, alias: "src", builder: &builder)
        let w = sampler.double("\"src\".\(try SQLIdentifier.quote(column.name))")
        let row = try await sampler.queries.first(
            """
            SELECT count(*) AS n, count(\(w)) AS nn, sum(CASE WHEN \(w) <= 0 THEN 1 ELSE 0 END) AS nonpos,
                   min(\(w)) AS mn, max(\(w)) AS mx, avg(\(w)) AS mean,
                   sum(CASE WHEN \(w) > 0 THEN 1 ELSE 0 END) AS npos,
                   sum(CASE WHEN \(w) > 0 THEN \(w) END) AS s, sum(CASE WHEN \(w) > 0 THEN \(w) * \(w) END) AS ss
            FROM \(source)
            """,
            builder.binds
        )
        var effective: Double?
        if let s = row?["s"]?.doubleValue, let ss = row?["ss"]?.doubleValue, ss > 0 { effective = s * s / ss }
        return Numbers(
            rows: row?["n"]?.doubleValue ?? 0,
            nonNull: row?["nn"]?.doubleValue ?? 0,
            nonPositive: row?["nonpos"]?.doubleValue ?? 0,
            minimum: row?["mn"]?.doubleValue,
            maximum: row?["mx"]?.doubleValue,
            mean: row?["mean"]?.doubleValue,
            effective: effective,
            positive: row?["npos"]?.doubleValue,
            samplePercent: plan.percent
        )
    }

    private func findings(_ n: Numbers, table: String, column: String, configuration: QualityConfiguration) -> [QualityFinding] {
        let location = "\(table).\(column)"
        var findings: [QualityFinding] = []
        func finding(_ id: String, _ severity: QualityFinding.Severity, _ message: String, _ evidence: [String: JSONValue]) {
            var evidence = evidence
            evidence["sample_percent"] = .double(n.samplePercent)
            findings.append(
                QualityFinding(ruleID: id, severity: severity, table: table, column: column, message: message, evidence: .object(evidence))
            )
        }
        if n.nonNull < n.rows {
            let nulls = n.rows - n.nonNull
            finding(
                "weight.nulls",
                .error,
                "\(Int(nulls)) rows have no weight in \(location); weighted totals silently drop them.",
                ["null_rows": .double(nulls), "null_fraction": .double(n.rows > 0 ? nulls / n.rows : 0)]
            )
        }
        if let nonPositive = n.nonPositive, nonPositive > 0 {
            finding(
                "weight.non_positive",
                .error,
                "\(Int(nonPositive)) rows of \(location) have a weight of zero or less.",
                ["non_positive_rows": .double(nonPositive), "min": n.minimum.map(JSONValue.double) ?? .null]
            )
        } else if n.nonPositive == nil, let minimum = n.minimum, minimum <= 0 {
            finding("weight.non_positive", .error, "\(location) has weights of zero or less (minimum \(minimum)).", ["min": .double(minimum)])
        }
        if let maximum = n.maximum, let mean = n.mean, mean > 0, maximum / mean > configuration.extremeWeightRatio {
            finding(
                "weight.extreme_ratio",
                .warning,
                "The largest weight in \(location) is \(Self.rounded(maximum / mean))× the mean; a few respondents dominate the estimates.",
                [
                    "max": .double(maximum), "mean": .double(mean), "ratio": .double(maximum / mean),
                    "threshold": .double(configuration.extremeWeightRatio),
                ]
            )
        }
        if let effective = n.effective, let positive = n.positive, positive > 0, effective / positive < configuration.minimumWeightEfficiency {
            finding(
                "weight.low_efficiency",
                .warning,
                "The weights in \(location) leave an effective sample of \(Self.rounded(effective / positive * 100))% of the respondents (Kish n_eff/n).",
                [
                    "effective_n": .double(effective), "n": .double(positive), "ratio": .double(effective / positive),
                    "threshold": .double(configuration.minimumWeightEfficiency),
                ]
            )
        }
        return findings
    }

    static func rounded(_ value: Double) -> Double {
        (value * 10).rounded() / 10
    }
}
