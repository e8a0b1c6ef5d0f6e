import AnalyticsCore
import DataPlane
import Foundation
import MetadataStore
import PostgresNIO
import TestSupport
import Testing

@Suite("Engine: the guard corpus through the full path on PostgreSQL")
struct EngineCorpusTests {
    /// What a hostile statement could have changed, read as the superuser outside the engine.
    struct Snapshot: Equatable {
        var canary: String
        var relations: String
        var functions: String
        var sequences: String
        var largeObjects: Int64
        var roleSettings: Int64
        var schemas: String
        var roles: Set<String>
        var databases: Set<String>
    }

    static func snapshot(_ url: ConnectionURL) async throws -> Snapshot {
        func text(_ sql: String) async throws -> String { try await ConnectorFixtures.text(sql, on: url) ?? "" }
        func names(_ sql: String) async throws -> Set<String> {
            let rows = try await ConnectorFixtures.rows(sql, on: url)
            return Set(try rows.map { try $0.decode(String.self) })
        }
        return Snapshot(
            canary: try await text("SELECT md5(string_agg(id || ':' || note, ',' ORDER BY id)) FROM canary"),
            relations: try await text(
                "SELECT string_agg(n.nspname || '.' || c.relname || ':' || c.relkind::text, ',' ORDER BY n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            ),
            functions: try await text("SELECT count(*) || ':' || md5(string_agg(oid::text, ',' ORDER BY oid)) FROM pg_proc"),
            sequences: try await text(
                "SELECT coalesce(string_agg(schemaname || '.' || sequencename || '=' || coalesce(last_value::text, 'unset'), ',' ORDER BY 1), '') FROM pg_sequences"
            ),
            largeObjects: try await ConnectorFixtures.int("SELECT count(*) FROM pg_largeobject_metadata", on: url),
            roleSettings: try await ConnectorFixtures.int("SELECT count(*) FROM pg_db_role_setting", on: url),
            schemas: try await text("SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace"),
            roles: try await names("SELECT rolname::text FROM pg_roles"),
            databases: try await names("SELECT datname::text FROM pg_database")
        )
    }

    /// Runs the set-up statements, naming the one that fails (driver errors print nothing useful).
    static func setUp(_ statements: [String], on url: ConnectionURL) async throws {
        for statement in statements {
            do {
                try await TestPostgres.execute([statement], on: url)
            } catch {
                Issue.record("set-up failed: \(statement): \(String(reflecting: error))")
                throw error
            }
        }
    }

    @Test("every hostile statement is refused with its code, every legitimate one answers, and nothing changed")
    func corpusThroughEngine() async throws {
        let hostile = try GuardCorpus.entries("hostile")
        let legitimate = try GuardCorpus.entries("legitimate")
        #expect(hostile.count >= 150)
        #expect(legitimate.count >= 80)
        try await ConnectorFixtures.withDatabase { database in
            try await Self.setUp(
                try GuardCorpus.schemaStatements() + [
                    "CREATE TABLE canary (id integer PRIMARY KEY, note text NOT NULL)",
                    "INSERT INTO canary SELECT i, 'row ' || i FROM generate_series(1, 50) AS i",
                    "CREATE SEQUENCE canary_seq",
                    "SELECT nextval('canary_seq')",
                ],
                on: database.url
            )
            let before = try await Self.snapshot(database.url)

            try await EngineHarness.with { harness in
                try await harness.addDataset("corpus", url: database.url)
                for entry in hostile {
                    guard let code = entry.code.flatMap(ErrorCode.init(rawValue:)) else {
                        Issue.record("hostile entry without a known code: \(entry.note)")
                        continue
                    }
                    let error = await expectError(code) {
                        _ = try await harness.query("corpus", entry.sql)
                    }
                    if error?.code.rawValue != entry.code { Issue.record("hostile entry: \(entry.note): \(entry.sql)") }
                }
                var answered = 0
                for entry in legitimate {
                    do {
                        let result = try await harness.query("corpus", entry.sql)
                        #expect(!result.columns.isEmpty, "\(entry.note)")
                        answered += 1
                    } catch {
                        Issue.record("legitimate entry failed: \(entry.note): \(entry.sql): \(error)")
                    }
                }
                #expect(answered == legitimate.count)

                let entries = try await harness.logEntries()
                #expect(entries.count == hostile.count + legitimate.count, "one log entry per execution")
                #expect(entries.filter { $0.status == .ok }.count == legitimate.count)
                #expect(entries.filter { $0.status == .ok }.allSatisfy { $0.fingerprint?.count == 16 && $0.normalizedSQL != nil })
                let refused = Dictionary(grouping: entries.filter { $0.status == .error }, by: { $0.errorCode ?? "" }).mapValues(\.count)
                let expected = Dictionary(grouping: hostile, by: { $0.code ?? "" }).mapValues(\.count)
                #expect(refused == expected)
            }

            let after = try await Self.snapshot(database.url)
            #expect(after.canary == before.canary, "the canary table's rows are unchanged")
            #expect(after.relations == before.relations, "no relation was created or dropped")
            #expect(after.functions == before.functions, "no function was created or dropped")
            #expect(after.sequences == before.sequences, "no sequence moved")
            #expect(after.largeObjects == before.largeObjects)
            #expect(after.roleSettings == before.roleSettings)
            #expect(after.schemas == before.schemas)
            // Roles and databases are cluster-wide and other suites create their own in parallel: a
            // new one counts only if a hostile statement names it.
            let corpusText = hostile.map { $0.sql.lowercased() }.joined(separator: "\n")
            let newRoles = after.roles.subtracting(before.roles).filter { corpusText.contains($0.lowercased()) }
            let newDatabases = after.databases.subtracting(before.databases).filter { corpusText.contains($0.lowercased()) }
            #expect(newRoles.isEmpty, "roles created by the corpus: \(newRoles)")
            #expect(newDatabases.isEmpty, "databases created by the corpus: \(newDatabases)")
            #expect(before.roles.subtracting(after.roles).filter { corpusText.contains($0.lowercased()) }.isEmpty, "no role dropped")
        }
    }
}
