import AnalyticsCore
import Foundation
import GRDB

extension DemoPanelWriter {
    /// What ``ensureDemoDatabase(at:progress:)`` found or did.
    public struct EnsureResult: Sendable, Hashable {
        /// True when the file was (re)built, false when a valid demo database was already there.
        public var created: Bool
        public var counts: DemoPanelCounts
    }

    /// What a file at the demo path is.
    enum Inspection: Equatable {
        case missing
        /// A complete demo database of the current format.
        case valid(DemoPanelCounts)
        /// A demo database of another format, an incomplete one, or an empty file: safe to rebuild.
        case stale(String)
        /// Something else (another application's database, a non-database file): never overwritten.
        case foreign(String)
    }

    /// Creates the demo database at `path` unless a valid one is already there; safe to call on every start.
    ///
    /// An existing demo database is kept even if it was generated for another spec or end day, so a
    /// registered dataset does not change under its users; delete the file to regenerate it. A stale
    /// demo file (older format, incomplete) is rebuilt. A file that is not a demo database is never
    /// overwritten: that is `CONFLICT`.
    @discardableResult
    public func ensureDemoDatabase(at path: String, progress: DemoPanelProgressHandler? = nil) throws -> EnsureResult {
        switch try self.inspect(path) {
        case .valid(let counts):
            self.logger.debug("demo panel present", metadata: ["mcpa.path": "\(path)", "mcpa.demo.counts": "\(counts)"])
            return EnsureResult(created: false, counts: counts)
        case .foreign(let reason):
            throw AnalyticsError(
                .conflict,
                "\(path) exists and is not a demo panel database (\(reason)).",
                hint: "Move the file away or choose another path for the demo panel; it is never overwritten."
            )
        case .stale(let reason):
            self.logger.notice("rebuilding stale demo panel", metadata: ["mcpa.path": "\(path)", "mcpa.reason": "\(reason)"])
            return EnsureResult(created: true, counts: try self.write(to: path, progress: progress))
        case .missing:
            return EnsureResult(created: true, counts: try self.write(to: path, progress: progress))
        }
    }

    func inspect(_ path: String) throws -> Inspection {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        if isDirectory.boolValue { return .foreign("it is a directory") }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if (attributes?[.size] as? NSNumber)?.int64Value == 0 { return .stale("empty file") }

        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "mcpa.demo-inspect"
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in try Self.inspect(db) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            return .foreign("not a SQLite database")
        } catch {
            throw self.converted(error, path: path)
        }
    }

    private static func inspect(_ db: Database) throws -> Inspection {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        if applicationID != DemoPanel.sqliteApplicationID {
            let objects = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
            return objects == 0 ? .stale("empty database") : .foreign("application id \(applicationID)")
        }
        let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        guard version == DemoPanel.formatVersion else { return .stale("format version \(version)") }
        for table in DemoPanelSchema.tables + [Self.dictionaryDefinition] {
            let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table.name])
            guard columns == table.columnNames else { return .stale("table \(table.name) is missing or differs") }
        }
        func count(_ table: DemoTableDefinition) throws -> Int {
            try Int.fetchOne(db, sql: "SELECT count(*) FROM \(try SQLIdentifier.quote(table.name))") ?? 0
        }
        let counts = DemoPanelCounts(
            respondents: try count(DemoPanelSchema.respondents),
            viewingEvents: try count(DemoPanelSchema.tvViewing),
            purchases: try count(DemoPanelSchema.purchases)
        )
        guard counts.respondents > 0 else { return .stale("no respondents") }
        return .valid(counts)
    }

    /// The dictionary table's shape, for the completeness check.
    private static let dictionaryDefinition = DemoTableDefinition(
        name: DemoPanelSchema.dictionaryTable,
        description: "",
        columns: ["table_name", "column_name", "description"].map {
            .init(name: $0, postgresType: "text", sqliteType: "TEXT", description: "")
        },
        primaryKey: "",
        foreignKeys: [],
        indexes: []
    )
}
