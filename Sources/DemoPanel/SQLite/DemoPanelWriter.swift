import AnalyticsCore
import Foundation
import GRDB
import Logging

/// Writes the demo panel of a ``DemoPanelSpec`` into a SQLite file (the `serve --demo` dataset).
///
/// The file is built under a temporary name in the target directory, in one transaction with
/// prepared statements, indexes created after the rows, and then renamed into place: a reader never
/// sees a half-written panel, and a crash leaves the previous file (or none) behind.
public struct DemoPanelWriter: Sendable {
    public var spec: DemoPanelSpec
    public var logger: Logger

    /// Rows between progress reports.
    static let progressInterval = 50_000

    public init(spec: DemoPanelSpec = DemoPanelSpec(), logger: Logger) {
        self.spec = spec
        self.logger = logger
    }

    /// Writes a fresh demo database at `path`, replacing any file there.
    ///
    /// Throws `INVALID_REQUEST` for a bad spec and `DEMO_DATA_FAILED` when the file cannot be written.
    @discardableResult
    public func write(to path: String, progress: DemoPanelProgressHandler? = nil) throws -> DemoPanelCounts {
        let generator = try DemoPanelGenerator(spec: self.spec)
        let target = URL(fileURLWithPath: path)
        let directory = target.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(target.lastPathComponent).tmp-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            self.logger.error("demo panel directory not creatable", metadata: ["mcpa.path": "\(directory.path)", "mcpa.error": "\(error)"])
            throw AnalyticsError(
                .demoDataFailed,
                "Cannot create the directory \(directory.path) for the demo panel.",
                hint: "Check that the path is writable, or choose another location."
            )
        }

        let started = ContinuousClock.now
        do {
            let counts = try self.build(generator, at: temporary, progress: progress)
            guard rename(temporary, target.path) == 0 else {
                throw AnalyticsError(
                    .demoDataFailed,
                    "Cannot move the demo panel into place at \(target.path) (errno \(errno)).",
                    hint: "Check that the path is writable and not a directory."
                )
            }
            self.logger.info(
                "demo panel written",
                metadata: [
                    "mcpa.path": "\(target.path)", "mcpa.demo.counts": "\(counts)",
                    "mcpa.elapsed": "\(ContinuousClock.now - started)",
                ]
            )
            return counts
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw self.converted(error, path: target.path)
        }
    }

    private func build(_ generator: DemoPanelGenerator, at path: String, progress: DemoPanelProgressHandler?) throws -> DemoPanelCounts {
        var configuration = Configuration()
        // Rows are inserted parents first; checking each foreign key would only slow the load.
        configuration.foreignKeysEnabled = false
        configuration.label = "mcpa.demo-writer"
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let counts = try queue.writeWithoutTransaction { db in
            // A fresh private file: no rollback journal or fsync needed, a failed build is deleted.
            try db.execute(sql: "PRAGMA journal_mode = OFF")
            try db.execute(sql: "PRAGMA synchronous = OFF")
            try db.execute(sql: "PRAGMA cache_size = -65536")
            var counts = DemoPanelCounts()
            try db.inTransaction {
                progress?(DemoPanelProgress(phase: .creatingSchema))
                try self.createSchema(db)
                counts = try self.insertRows(generator, db, progress: progress)
                progress?(DemoPanelProgress(phase: .indexing, totalRows: counts.total))
                for table in DemoPanelSchema.tables {
                    for statement in try table.sqliteCreateIndexes() { try db.execute(sql: statement) }
                }
                return .commit
            }
            progress?(DemoPanelProgress(phase: .analyzing, totalRows: counts.total))
            try db.execute(sql: "ANALYZE")
            try db.execute(sql: "PRAGMA application_id = \(DemoPanel.sqliteApplicationID)")
            try db.execute(sql: "PRAGMA user_version = \(DemoPanel.formatVersion)")
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
            return counts
        }
        try queue.close()
        progress?(DemoPanelProgress(phase: .finished, totalRows: counts.total))
        return counts
    }

    private func createSchema(_ db: Database) throws {
        for table in DemoPanelSchema.tables {
            try db.execute(sql: try table.sqliteCreateTable())
        }
        let dictionary = try SQLIdentifier.quote(DemoPanelSchema.dictionaryTable)
        try db.execute(
            sql: "CREATE TABLE \(dictionary) (\"table_name\" TEXT NOT NULL, \"column_name\" TEXT, \"description\" TEXT NOT NULL)"
        )
        let insert = try db.makeStatement(sql: "INSERT INTO \(dictionary) (\"table_name\", \"column_name\", \"description\") VALUES (?, ?, ?)")
        for entry in DemoPanelSchema.dataDictionary {
            try insert.execute(arguments: [entry.table, entry.column, entry.description])
        }
    }

    private func insertRows(_ generator: DemoPanelGenerator, _ db: Database, progress: DemoPanelProgressHandler?) throws -> DemoPanelCounts {
        var counts = DemoPanelCounts()
        var total = 0
        func report(_ table: DemoTableDefinition, _ rows: Int, force: Bool = false) {
            guard let progress, force || rows % Self.progressInterval == 0 else { return }
            progress(DemoPanelProgress(phase: .loading, table: table.name, tableRows: rows, totalRows: total))
        }

        let respondents = try db.makeStatement(sql: try DemoPanelSchema.respondents.sqliteInsert())
        for row in generator.respondents() {
            try respondents.execute(arguments: [
                row.respondentID, row.gender, row.ageBand, row.nccs, row.region, row.cityTier, row.householdSize, row.weight,
            ])
            counts.respondents += 1
            total += 1
            report(DemoPanelSchema.respondents, counts.respondents)
        }
        report(DemoPanelSchema.respondents, counts.respondents, force: true)

        let viewing = try db.makeStatement(sql: try DemoPanelSchema.tvViewing.sqliteInsert())
        for row in generator.viewingEvents() {
            try viewing.execute(arguments: [row.eventID, row.respondentID, row.channel, row.genre, row.startTime.text, row.minutes])
            counts.viewingEvents += 1
            total += 1
            report(DemoPanelSchema.tvViewing, counts.viewingEvents)
        }
        report(DemoPanelSchema.tvViewing, counts.viewingEvents, force: true)

        let purchases = try db.makeStatement(sql: try DemoPanelSchema.purchases.sqliteInsert())
        for row in generator.purchases() {
            try purchases.execute(arguments: [
                row.purchaseID, row.respondentID, row.category, row.brand, row.amount, row.purchaseDate.text,
            ])
            counts.purchases += 1
            total += 1
            report(DemoPanelSchema.purchases, counts.purchases)
        }
        report(DemoPanelSchema.purchases, counts.purchases, force: true)
        return counts
    }

    /// Keeps coded errors; turns anything else (SQLite, file system) into `DEMO_DATA_FAILED` after logging it.
    func converted(_ error: any Error, path: String) -> AnalyticsError {
        if let error = error as? AnalyticsError { return error }
        self.logger.error("demo panel write failed", metadata: ["mcpa.path": "\(path)", "mcpa.error": "\(error)"])
        let reason = (error as? DatabaseError).map { " (SQLite \($0.resultCode))" } ?? ""
        return AnalyticsError(
            .demoDataFailed,
            "Writing the demo panel to \(path) failed\(reason).",
            hint: "Check free disk space and that the directory is writable; the server log has the details."
        )
    }
}
