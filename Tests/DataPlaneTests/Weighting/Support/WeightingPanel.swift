import AnalyticsCore
import DataPlane
import DemoPanel
import Foundation
import GRDB
import Logging
import TestSupport
import Testing

/// The synthetic demo panel, generated once per test process into a SQLite file and a PostgreSQL
/// database (identical rows), plus a `respondents_bad` table for the validation tests: a copy of
/// the first 200 respondents with three negative weights, two zero weights, one missing weight and
/// a text copy of the weight (`weight_text`).
actor WeightingPanel {
    static let shared = WeightingPanel()
    static let logger = Logger(label: "test.weighting")
    /// Fixed end day so every run sees the same panel.
    static let spec = DemoPanelSpec(seed: 4_242, scale: 6, endDay: (try? DemoDay(year: 2025, month: 6, day: 30)) ?? .today(), months: 4)

    static let badTableSQL = [
        "CREATE TABLE respondents_bad AS SELECT * FROM respondents WHERE respondent_id <= 200",
        "UPDATE respondents_bad SET weight = -0.5 WHERE respondent_id IN (1, 2, 3)",
        "UPDATE respondents_bad SET weight = 0 WHERE respondent_id IN (4, 5)",
        "UPDATE respondents_bad SET weight = NULL WHERE respondent_id = 6",
        "ALTER TABLE respondents_bad ADD COLUMN weight_text TEXT",
        "UPDATE respondents_bad SET weight_text = CAST(weight AS TEXT)",
    ]

    private var sqliteTask: Task<String, any Error>?
    private var postgresTask: Task<ConnectionURL, any Error>?
    private var rowTasks: [StoreBackend: Task<PanelRows, any Error>] = [:]

    /// The panel's raw rows on `backend`, read once per process.
    func rows(_ backend: StoreBackend) async throws -> PanelRows {
        if let task = self.rowTasks[backend] { return try await task.value }
        let task = Task<PanelRows, any Error> {
            switch backend {
            case .sqlite: try PanelRows.loadSQLite(try await self.sqlitePath())
            case .postgres: try await PanelRows.loadPostgres(try await self.postgresURL())
            }
        }
        self.rowTasks[backend] = task
        return try await task.value
    }

    /// Path of the SQLite panel.
    func sqlitePath() async throws -> String {
        if let task = self.sqliteTask { return try await task.value }
        let task = Task<String, any Error> {
            let directory = try TemporaryDirectory(prefix: "mcpa-weighting")
            let path = directory.file("panel.sqlite")
            _ = try DemoPanelWriter(spec: Self.spec, logger: Self.logger).write(to: path)
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                for statement in Self.badTableSQL { try db.execute(sql: statement) }
            }
            try queue.close()
            return path
        }
        self.sqliteTask = task
        return try await task.value
    }

    /// URL of the PostgreSQL panel database.
    func postgresURL() async throws -> ConnectionURL {
        if let task = self.postgresTask { return try await task.value }
        let task = Task<ConnectionURL, any Error> {
            let database = try await TestPostgres.createDatabase(prefix: "weighting")
            _ = try await DemoPanelLoader(spec: Self.spec, logger: Self.logger).load(into: database.url)
            try await TestPostgres.execute(Self.badTableSQL, on: database.url)
            return database.url
        }
        self.postgresTask = task
        return try await task.value
    }

    func url(_ backend: StoreBackend) async throws -> ConnectionURL {
        switch backend {
        case .sqlite: try ConnectionURL("sqlite:" + (try await self.sqlitePath()))
        case .postgres: try await self.postgresURL()
        }
    }

    /// A registered-looking dataset for the panel on `backend`.
    static func dataset(_ backend: StoreBackend, weighting: JSONValue? = DemoPanel.weightingConfig) -> Dataset {
        Dataset(
            id: "panel_\(backend.rawValue)",
            name: "Weighting test panel",
            state: .active,
            connectionKind: backend == .sqlite ? .sqlite : .postgres,
            redactedURL: "redacted",
            settings: DatasetSettings(poolSize: 2, connectTimeoutMs: 60_000, statementTimeoutMs: 120_000),
            weighting: weighting,
            createdBy: "test"
        )
    }

    /// Runs `body` with a live connector to the panel on `backend` (through a connector registry).
    static func withConnector<T: Sendable>(
        _ backend: StoreBackend,
        _ body: @Sendable (any DatasetConnector, Dataset) async throws -> T
    ) async throws -> T {
        let url = try await Self.shared.url(backend)
        let dataset = Self.dataset(backend)
        let registry = ConnectorRegistry(secrets: { _ in url }, logger: Self.logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await registry.run() }
            defer { group.cancelAll() }
            return try await registry.execute(dataset: dataset) { connector in try await body(connector, dataset) }
        }
    }
}
