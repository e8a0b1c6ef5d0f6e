/// The demo panel's tables and their data dictionary.
///
/// Descriptions are written for the analyst (and the LLM) reading them: what a row is, what a value
/// means, and how to use the survey weight. PostgreSQL receives them as `COMMENT ON`; SQLite, which
/// has no comments, in the `_data_dictionary` table.
public enum DemoPanelSchema {
    /// One description: of a table when `column` is nil, otherwise of that column.
    public struct DictionaryEntry: Sendable, Hashable {
        public var table: String
        public var column: String?
        public var description: String
    }

    /// The SQLite table that stands in for PostgreSQL's comments.
    public static let dictionaryTable = "_data_dictionary"

    public static let respondents = DemoTableDefinition(
        name: "respondents",
        description:
            "Synthetic consumer panel members, one row per respondent, with persona dimensions and the survey weight. "
            + "Weight every aggregate: weighted share = sum(weight) over the segment meeting the condition / sum(weight) over the segment.",
        columns: [
            .init(
                name: "respondent_id",
                postgresType: "integer",
                sqliteType: "INTEGER",
                description: "Respondent key: identifies the panel member; tv_viewing and purchases join on it."
            ),
            .init(name: "gender", postgresType: "text", sqliteType: "TEXT", description: "Gender: Female or Male."),
            .init(
                name: "age_band",
                postgresType: "text",
                sqliteType: "TEXT",
                description: "Age band in years: 15-24, 25-34, 35-44, 45-54 or 55+."
            ),
            .init(
                name: "nccs",
                postgresType: "text",
                sqliteType: "TEXT",
                description:
                    "New Consumer Classification System class, A1 (most affluent) to E. A1 is small: analyses merge A1 into A "
                    + "and C, D, E into C/D/E (see the weighting config)."
            ),
            .init(name: "region", postgresType: "text", sqliteType: "TEXT", description: "Region of residence: North, South, East or West."),
            .init(
                name: "city_tier",
                postgresType: "text",
                sqliteType: "TEXT",
                description: "Town class: Metro, Tier 1, Tier 2, Tier 3 or Rural."
            ),
            .init(name: "household_size", postgresType: "integer", sqliteType: "INTEGER", description: "People in the household (1-12)."),
            .init(
                name: "weight",
                postgresType: "double precision",
                sqliteType: "REAL",
                description:
                    "Survey weight: how many average panel members this respondent stands for (mean about 1, always > 0, "
                    + "trimmed at 8). Use it in every aggregate: sum(weight) for weighted counts, sum(weight * x) / sum(weight) for means."
            ),
        ],
        primaryKey: "respondent_id",
        foreignKeys: [],
        indexes: []
    )

    public static let tvViewing = DemoTableDefinition(
        name: "tv_viewing",
        description:
            "TV viewing sessions recorded by the panel meter, one row per session. Respondents without rows watched no TV "
            + "in the period; join to respondents for weights and persona dimensions.",
        columns: [
            .init(name: "event_id", postgresType: "bigint", sqliteType: "INTEGER", description: "Viewing session key."),
            .init(
                name: "respondent_id",
                postgresType: "integer",
                sqliteType: "INTEGER",
                description: "Respondent key: the panel member who watched (respondents.respondent_id)."
            ),
            .init(name: "channel", postgresType: "text", sqliteType: "TEXT", description: "Channel watched."),
            .init(
                name: "genre",
                postgresType: "text",
                sqliteType: "TEXT",
                description: "Genre of the channel: Sports, News, Movies, Drama, Kids, Music, Reality or Devotional."
            ),
            .init(
                name: "start_time",
                postgresType: "timestamp",
                sqliteType: "TIMESTAMP",
                description: "Session start in local panel time, minute precision (text YYYY-MM-DD HH:MM:SS in SQLite)."
            ),
            .init(name: "minutes", postgresType: "integer", sqliteType: "INTEGER", description: "Minutes viewed in the session (1-240)."),
        ],
        primaryKey: "event_id",
        foreignKeys: [
            .init(column: "respondent_id", referencedTable: "respondents", referencedColumn: "respondent_id", name: "tv_viewing_respondent_fk")
        ],
        indexes: [
            .init(name: "tv_viewing_respondent_idx", columns: ["respondent_id"]),
            .init(name: "tv_viewing_start_time_idx", columns: ["start_time"]),
        ]
    )

    public static let purchases = DemoTableDefinition(
        name: "purchases",
        description:
            "Purchases reported by the panel, one row per purchase. Join to respondents for weights and persona dimensions.",
        columns: [
            .init(name: "purchase_id", postgresType: "bigint", sqliteType: "INTEGER", description: "Purchase key."),
            .init(
                name: "respondent_id",
                postgresType: "integer",
                sqliteType: "INTEGER",
                description: "Respondent key: the panel member who bought (respondents.respondent_id)."
            ),
            .init(
                name: "category",
                postgresType: "text",
                sqliteType: "TEXT",
                description: "Product category: Personal Care, Snacks, Beverages, Home Care, Dairy, Apparel or Electronics."
            ),
            .init(name: "brand", postgresType: "text", sqliteType: "TEXT", description: "Brand bought (invented names)."),
            .init(name: "amount", postgresType: "numeric(10,2)", sqliteType: "NUMERIC(10,2)", description: "Amount paid in rupees (INR)."),
            .init(
                name: "purchase_date",
                postgresType: "date",
                sqliteType: "DATE",
                description: "Day of purchase (text YYYY-MM-DD in SQLite)."
            ),
        ],
        primaryKey: "purchase_id",
        foreignKeys: [
            .init(column: "respondent_id", referencedTable: "respondents", referencedColumn: "respondent_id", name: "purchases_respondent_fk")
        ],
        indexes: [
            .init(name: "purchases_respondent_idx", columns: ["respondent_id"]),
            .init(name: "purchases_date_idx", columns: ["purchase_date"]),
        ]
    )

    /// The tables in load order (referenced tables first).
    public static let tables = [respondents, tvViewing, purchases]

    /// Every table and column description, tables first within each table's group.
    public static var dataDictionary: [DictionaryEntry] {
        self.tables.flatMap { table in
            [DictionaryEntry(table: table.name, column: nil, description: table.description)]
                + table.columns.map { DictionaryEntry(table: table.name, column: $0.name, description: $0.description) }
        }
    }
}
