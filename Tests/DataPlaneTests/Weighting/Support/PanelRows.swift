import AnalyticsCore
import Foundation
import GRDB
import PostgresNIO
import TestSupport

/// The panel's raw rows read with plain SQL straight from the database (never through the code
/// under test), so the tests can compute every expected figure themselves.
struct PanelRows: Sendable {
    struct Respondent: Sendable {
        var id: Int
        var gender: String
        var ageBand: String
        var nccs: String
        var region: String
        var cityTier: String
        var householdSize: Int
        var weight: Double
    }

    struct Viewing: Sendable {
        var respondentID: Int
        var genre: String
        /// `YYYY-MM-DD` of the session start.
        var day: String
        var minutes: Int
    }

    struct Purchase: Sendable {
        var respondentID: Int
        var category: String
        var day: String
        var amount: Double
    }

    var respondents: [Respondent]
    var viewing: [Viewing]
    var purchases: [Purchase]

    /// The rows of the shared panel on `backend` (read once per process).
    static func load(_ backend: StoreBackend) async throws -> PanelRows {
        try await WeightingPanel.shared.rows(backend)
    }

    static func loadSQLite(_ path: String) throws -> PanelRows {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            let respondents = try Row.fetchAll(
                db,
                sql: "SELECT respondent_id, gender, age_band, nccs, region, city_tier, household_size, weight FROM respondents"
            ).map { row in
                Respondent(
                    id: row[0],
                    gender: row[1],
                    ageBand: row[2],
                    nccs: row[3],
                    region: row[4],
                    cityTier: row[5],
                    householdSize: row[6],
                    weight: row[7]
                )
            }
            let viewing = try Row.fetchAll(db, sql: "SELECT respondent_id, genre, substr(start_time, 1, 10), minutes FROM tv_viewing").map { row in
                Viewing(respondentID: row[0], genre: row[1], day: row[2], minutes: row[3])
            }
            let purchases = try Row.fetchAll(db, sql: "SELECT respondent_id, category, purchase_date, CAST(amount AS REAL) FROM purchases").map {
                row in
                Purchase(respondentID: row[0], category: row[1], day: row[2], amount: row[3])
            }
            return PanelRows(respondents: respondents, viewing: viewing, purchases: purchases)
        }
    }

    static func loadPostgres(_ url: ConnectionURL) async throws -> PanelRows {
        try await TestPostgres.withConnection(to: url) { connection in
            let logger = WeightingPanel.logger
            var respondents: [Respondent] = []
            let sql = "SELECT respondent_id, gender, age_band, nccs, region, city_tier, household_size, weight::float8 FROM respondents"
            for try await (id, gender, age, nccs, region, tier, size, weight) in try await connection.query(
                PostgresQuery(unsafeSQL: sql),
                logger: logger
            )
            .decode((Int, String, String, String, String, String, Int, Double).self) {
                respondents.append(
                    Respondent(id: id, gender: gender, ageBand: age, nccs: nccs, region: region, cityTier: tier, householdSize: size, weight: weight)
                )
            }
            var viewing: [Viewing] = []
            let viewingSQL = "SELECT respondent_id, genre, to_char(start_time, 'YYYY-MM-DD'), minutes FROM tv_viewing"
            for try await (id, genre, day, minutes) in try await connection.query(PostgresQuery(unsafeSQL: viewingSQL), logger: logger)
                .decode((Int, String, String, Int).self)
            {
                viewing.append(Viewing(respondentID: id, genre: genre, day: day, minutes: minutes))
            }
            var purchases: [Purchase] = []
            let purchaseSQL = "SELECT respondent_id, category, purchase_date::text, amount::float8 FROM purchases"
            for try await (id, category, day, amount) in try await connection.query(PostgresQuery(unsafeSQL: purchaseSQL), logger: logger)
                .decode((Int, String, String, Double).self)
            {
                purchases.append(Purchase(respondentID: id, category: category, day: day, amount: amount))
            }
            return PanelRows(respondents: respondents, viewing: viewing, purchases: purchases)
        }
    }
}
