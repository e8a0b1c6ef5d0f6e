/// Per-dataset execution settings, stored with the dataset and editable through the API.
///
/// Defaults suit a shared analytical replica; a dataset that serves heavier traffic raises its pool.
public struct DatasetSettings: Sendable, Codable, Hashable {
    /// Connections in the dataset's pool.
    public var poolSize: Int
    /// Queries that may run at once on this dataset (beyond it they wait for a slot).
    public var maxConcurrentQueries: Int
    public var connectTimeoutMs: Int
    public var statementTimeoutMs: Int
    /// Rows a non-aggregated (respondent-level) result may return.
    public var rawRowLimit: Int
    /// Rows an aggregated result may return when the caller gives no `limit`.
    public var defaultRowLimit: Int
    /// Rows an aggregated result may return at most, whatever `limit` says.
    public var maxRowLimit: Int
    /// Hours between scheduled re-profiles (with drift checks) of this dataset while it is active;
    /// 0 turns them off, nil follows the server's `profile-refresh-hours`.
    public var profileRefreshHours: Int?

    public init(
        poolSize: Int = 4,
        maxConcurrentQueries: Int = 8,
        connectTimeoutMs: Int = 5_000,
        statementTimeoutMs: Int = 30_000,
        rawRowLimit: Int = 5,
        defaultRowLimit: Int = 200,
        maxRowLimit: Int = 5_000,
        profileRefreshHours: Int? = nil
    ) {
        self.poolSize = poolSize
        self.maxConcurrentQueries = maxConcurrentQueries
        self.connectTimeoutMs = connectTimeoutMs
        self.statementTimeoutMs = statementTimeoutMs
        self.rawRowLimit = rawRowLimit
        self.defaultRowLimit = defaultRowLimit
        self.maxRowLimit = maxRowLimit
        self.profileRefreshHours = profileRefreshHours
    }

    enum CodingKeys: String, CodingKey {
        case poolSize = "pool_size"
        case maxConcurrentQueries = "max_concurrent_queries"
        case connectTimeoutMs = "connect_timeout_ms"
        case statementTimeoutMs = "statement_timeout_ms"
        case rawRowLimit = "raw_row_limit"
        case defaultRowLimit = "default_row_limit"
        case maxRowLimit = "max_row_limit"
        case profileRefreshHours = "profile_refresh_hours"
    }

    /// Decodes leniently: any missing key takes its default, so stored settings survive new fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = DatasetSettings()
        self.poolSize = try c.decodeIfPresent(Int.self, forKey: .poolSize) ?? d.poolSize
        self.maxConcurrentQueries = try c.decodeIfPresent(Int.self, forKey: .maxConcurrentQueries) ?? d.maxConcurrentQueries
        self.connectTimeoutMs = try c.decodeIfPresent(Int.self, forKey: .connectTimeoutMs) ?? d.connectTimeoutMs
        self.statementTimeoutMs = try c.decodeIfPresent(Int.self, forKey: .statementTimeoutMs) ?? d.statementTimeoutMs
        self.rawRowLimit = try c.decodeIfPresent(Int.self, forKey: .rawRowLimit) ?? d.rawRowLimit
        self.defaultRowLimit = try c.decodeIfPresent(Int.self, forKey: .defaultRowLimit) ?? d.defaultRowLimit
        self.maxRowLimit = try c.decodeIfPresent(Int.self, forKey: .maxRowLimit) ?? d.maxRowLimit
        self.profileRefreshHours = try c.decodeIfPresent(Int.self, forKey: .profileRefreshHours)
    }

    /// Checks ranges; a bad value is `INVALID_REQUEST` naming the field.
    public func validate() throws {
        func check(_ value: Int, _ range: ClosedRange<Int>, _ name: String) throws {
            guard range.contains(value) else {
                throw AnalyticsError.invalidRequest(
                    "settings.\(name) = \(value) is out of range.",
                    hint: "Use a value between \(range.lowerBound) and \(range.upperBound)."
                )
            }
        }
        try check(self.poolSize, 1...64, CodingKeys.poolSize.rawValue)
        try check(self.maxConcurrentQueries, 1...256, CodingKeys.maxConcurrentQueries.rawValue)
        try check(self.connectTimeoutMs, 100...120_000, CodingKeys.connectTimeoutMs.rawValue)
        try check(self.statementTimeoutMs, 100...3_600_000, CodingKeys.statementTimeoutMs.rawValue)
        try check(self.rawRowLimit, 0...100, CodingKeys.rawRowLimit.rawValue)
        try check(self.defaultRowLimit, 1...100_000, CodingKeys.defaultRowLimit.rawValue)
        try check(self.maxRowLimit, 1...1_000_000, CodingKeys.maxRowLimit.rawValue)
        if let hours = self.profileRefreshHours { try check(hours, 0...8_760, CodingKeys.profileRefreshHours.rawValue) }
    }
}
