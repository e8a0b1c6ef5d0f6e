import AnalyticsCore
import DataPlane
import DemoPanel
import Foundation
import GRDB
import Synchronization
import TestSupport
import Testing

@Suite("Demo panel SQLite writer")
struct DemoSQLiteWriterTests {
    static func open(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    @Test("writes every generated row, the dictionary, keys and indexes")
    func writes() throws {
        let directory = try TemporaryDirectory(prefix: "demo-sqlite")
        defer { directory.remove() }
        let spec = DemoFixtures.spec()
        let generator = try DemoPanelGenerator(spec: spec)
        let path = directory.file("nested/panel.sqlite")

        let reports = Mutex<[DemoPanelProgress]>([])
        let counts = try DemoPanelWriter(spec: spec, logger: DemoFixtures.logger).write(to: path) { report in
            reports.withLock { $0.append(report) }
        }
        let events = Array(generator.viewingEvents())
        let purchases = Array(generator.purchases())
        #expect(counts == DemoPanelCounts(respondents: spec.respondentCount, viewingEvents: events.count, purchases: purchases.count))
        #expect(reports.withLock { $0.last?.phase } == .finished)
        #expect(reports.withLock { $0.last?.totalRows } == counts.total)
        #expect(reports.withLock { $0.contains { $0.phase == .loading && $0.table == "tv_viewing" && $0.tableRows == events.count } })

        let queue = try Self.open(path)
        defer { try? queue.close() }
        try queue.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM respondents") == spec.respondentCount)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM tv_viewing") == events.count)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM purchases") == purchases.count)
            #expect(try Int.fetchOne(db, sql: "SELECT sum(minutes) FROM tv_viewing") == events.map(\.minutes).reduce(0, +))
            let cents = try Int64.fetchOne(db, sql: "SELECT sum(CAST(round(amount * 100) AS INTEGER)) FROM purchases")
            #expect(cents == purchases.map(\.amountCents).reduce(0, +))
            let perGenre = try Row.fetchAll(db, sql: "SELECT genre, count(*) AS n FROM tv_viewing GROUP BY genre")
            let expected = Dictionary(grouping: events, by: \.genre).mapValues(\.count)
            #expect(Dictionary(uniqueKeysWithValues: perGenre.map { ($0["genre"] as String, $0["n"] as Int) }) == expected)

            // Rows read back equal the generated ones, field by field.
            let firstEvent = try #require(try Row.fetchOne(db, sql: "SELECT * FROM tv_viewing WHERE event_id = 1"))
            let event = try #require(events.first)
            #expect(firstEvent["respondent_id"] as Int == event.respondentID)
            #expect(firstEvent["start_time"] as String == event.startTime.text)
            #expect(firstEvent["channel"] as String == event.channel)
            let respondent = try #require(try Row.fetchOne(db, sql: "SELECT * FROM respondents WHERE respondent_id = 3"))
            #expect(respondent["weight"] as Double == generator.respondent(id: 3).weight)
            #expect(respondent["nccs"] as String == generator.respondent(id: 3).nccs)

            // The dictionary holds every description; weight and key are marked as such.
            let dictionary = try Row.fetchAll(db, sql: "SELECT table_name, column_name, description FROM _data_dictionary")
            #expect(dictionary.count == DemoPanelSchema.dataDictionary.count)
            for entry in DemoPanelSchema.dataDictionary {
                #expect(
                    dictionary.contains {
                        $0["table_name"] == entry.table && $0["column_name"] == entry.column && $0["description"] == entry.description
                    }
                )
            }
            let weight = try String.fetchOne(
                db,
                sql: "SELECT description FROM _data_dictionary WHERE table_name = 'respondents' AND column_name = 'weight'"
            )
            #expect(weight?.hasPrefix("Survey weight") == true)
            let key = try String.fetchOne(
                db,
                sql: "SELECT description FROM _data_dictionary WHERE table_name = 'tv_viewing' AND column_name = 'respondent_id'"
            )
            #expect(key?.hasPrefix("Respondent key") == true)

            let indexes = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
            #expect(indexes == Set(DemoPanelSchema.tables.flatMap(\.indexes).map(\.name)))
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM pragma_foreign_key_list('tv_viewing')") == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM pragma_foreign_key_list('purchases')") == 1)
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
            // SQLite's own date functions read the stored timestamps.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM tv_viewing WHERE datetime(start_time) IS NULL") == 0)
        }
        // No temporary files are left beside the database.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.file("nested"))
        #expect(leftovers == ["panel.sqlite"])
    }

    @Test("ensureDemoDatabase creates once, then keeps the file as it is")
    func ensureIsIdempotent() throws {
        let directory = try TemporaryDirectory(prefix: "demo-ensure")
        defer { directory.remove() }
        let path = directory.file("demo.sqlite")
        let writer = DemoPanelWriter(spec: DemoFixtures.spec(), logger: DemoFixtures.logger)

        let first = try writer.ensureDemoDatabase(at: path)
        #expect(first.created)
        let modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        let second = try writer.ensureDemoDatabase(at: path)
        #expect(!second.created)
        #expect(second.counts == first.counts)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == modified)

        // Another spec does not regenerate an existing panel (a registered dataset stays stable).
        let other = DemoPanelWriter(spec: DemoFixtures.spec(seed: 99), logger: DemoFixtures.logger)
        #expect(try other.ensureDemoDatabase(at: path).created == false)
    }

    @Test("a stale demo file (old format, empty file, empty database) is rebuilt")
    func staleRebuilt() throws {
        let directory = try TemporaryDirectory(prefix: "demo-stale")
        defer { directory.remove() }
        let writer = DemoPanelWriter(spec: DemoFixtures.spec(), logger: DemoFixtures.logger)

        let old = directory.file("old.sqlite")
        try writer.write(to: old)
        try DatabaseQueue(path: old).write { db in try db.execute(sql: "PRAGMA user_version = 0") }
        #expect(try writer.ensureDemoDatabase(at: old).created)
        #expect(try Self.open(old).read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") } == DemoPanel.formatVersion)

        let broken = directory.file("broken.sqlite")
        try writer.write(to: broken)
        try DatabaseQueue(path: broken).write { db in try db.execute(sql: "DROP TABLE purchases") }
        let rebuilt = try writer.ensureDemoDatabase(at: broken)
        #expect(rebuilt.created && rebuilt.counts.purchases > 0)

        let empty = directory.file("empty.sqlite")
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        #expect(try writer.ensureDemoDatabase(at: empty).created)

        let blank = directory.file("blank.sqlite")
        try DatabaseQueue(path: blank).write { db in try db.execute(sql: "PRAGMA user_version = 3") }
        #expect(try writer.ensureDemoDatabase(at: blank).created)
    }

    @Test("a file that is not a demo database is never overwritten: CONFLICT")
    func foreignRefused() throws {
        let directory = try TemporaryDirectory(prefix: "demo-foreign")
        defer { directory.remove() }
        let writer = DemoPanelWriter(spec: DemoFixtures.spec(), logger: DemoFixtures.logger)

        let registry = directory.file("registry.sqlite")
        try DatabaseQueue(path: registry).write { db in
            try db.execute(sql: "CREATE TABLE precious (id INTEGER PRIMARY KEY, note TEXT)")
            try db.execute(sql: "INSERT INTO precious (note) VALUES ('keep me')")
        }
        let error = DemoFixtures.analyticsError { try writer.ensureDemoDatabase(at: registry) }
        #expect(error?.code == .conflict)
        #expect(error?.hint != nil)
        #expect(try DatabaseQueue(path: registry).read { db in try String.fetchOne(db, sql: "SELECT note FROM precious") } == "keep me")

        let text = directory.file("notes.txt")
        try Data("not a database at all, just some words".utf8).write(to: URL(fileURLWithPath: text))
        #expect(DemoFixtures.analyticsError { try writer.ensureDemoDatabase(at: text) }?.code == .conflict)
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "not a database at all, just some words")

        #expect(DemoFixtures.analyticsError { try writer.ensureDemoDatabase(at: directory.path) }?.code == .conflict)
    }

    @Test("unwritable locations and bad specs fail with coded errors and leave nothing behind")
    func failures() throws {
        let directory = try TemporaryDirectory(prefix: "demo-fail")
        defer { directory.remove() }
        let file = directory.file("plain-file")
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let writer = DemoPanelWriter(spec: DemoFixtures.spec(), logger: DemoFixtures.logger)
        let error = DemoFixtures.analyticsError { try writer.write(to: file + "/sub/demo.sqlite") }
        #expect(error?.code == .demoDataFailed)
        #expect(error?.hint != nil)

        let bad = DemoPanelWriter(spec: DemoFixtures.spec(scale: -2), logger: DemoFixtures.logger)
        let target = directory.file("never.sqlite")
        #expect(DemoFixtures.analyticsError { try bad.write(to: target) }?.code == .invalidRequest)
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["plain-file"])
    }
}
