import AnalyticsCore
import CPgQuery
import Foundation
import Testing

@testable import SQLGuard

/// Thread safety and memory: run one after the other so neither disturbs the other's measurements.
@Suite("Concurrency and memory", .serialized)
struct ResourceTests {
    enum Outcome: Equatable {
        case accepted(SQLAnalysis)
        case refused(AnalyticsError)

        init(_ guardrail: SQLGuard, _ sql: String) {
            do {
                self = .accepted(try guardrail.analyze(sql))
            } catch {
                self = .refused(error)
            }
        }
    }

    @Test("concurrent analysis from many tasks gives the same results as one by one")
    func concurrentAnalysis() async throws {
        let guardrail = SQLGuard()
        let statements = try (Corpus.load("hostile") + Corpus.load("legitimate")).map(\.sql)
        let expected = statements.map { Outcome(guardrail, $0) }
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for task in 0..<32 {
                group.addTask {
                    var mismatches = 0
                    // Each task walks the corpus from a different starting point.
                    for step in 0..<statements.count {
                        let index = (step + task * 37) % statements.count
                        if Outcome(guardrail, statements[index]) != expected[index] { mismatches += 1 }
                    }
                    return mismatches
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        #expect(expected.contains { if case .accepted = $0 { true } else { false } })
        #expect(expected.contains { if case .refused = $0 { true } else { false } })
    }

    #if os(Linux)
    /// Resident memory in bytes, from `/proc/self/statm`, after handing the heap's free pages back
    /// to the system (glibc `malloc_trim`): otherwise a leak can fill pages that earlier tests in
    /// this process freed, and the resident size does not move (which once hid the control leak).
    static func residentBytes() throws -> Int {
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)(0)
        }
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
        let fields = statm.split(separator: " ")
        let pages = try #require(fields.count > 1 ? Int(fields[1]) : nil)
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static let megabyte = 1 << 20

    @Test("no libpg_query result memory is kept, on success or on any error path")
    func noLeaks() throws {
        let guardrail = SQLGuard()
        let inputs = [
            "SELECT 1; garbage",  // parse error
            "SELECT 'unterminated",  // scanner error
            "SELECT 1; SELECT 2",  // multiple statements
            "DELETE FROM t",  // not read-only
            "SELECT pg_read_file('x') FROM t",  // forbidden function after a full walk
            "SELECT region, count(*) FROM respondents WHERE age > 30 GROUP BY region",  // accepted
        ]
        let valid = "SELECT region, count(*) FROM respondents WHERE age > 30 GROUP BY region"
        for _ in 0..<1_000 {
            for sql in inputs { _ = try? guardrail.analyze(sql) }
        }
        let before = try Self.residentBytes()
        for _ in 0..<4_000 {
            for sql in inputs { _ = try? guardrail.analyze(sql) }
        }
        // Each wrapper on its failure and success paths; 3 × 60,000 failures in all.
        for _ in 0..<60_000 {
            _ = PgQuery.parse("SELECT 1; garbage")
            _ = PgQuery.fingerprint("SELECT 1; garbage")
            _ = PgQuery.normalize("SELECT 'unterminated")
            _ = PgQuery.parse(valid)
            _ = PgQuery.fingerprint(valid)
            _ = PgQuery.normalize(valid)
        }
        let growth = try Self.residentBytes() - before
        #expect(growth < 6 * Self.megabyte, "resident memory grew by \(growth / Self.megabyte) MiB")
    }

    @Test("the measurement sees a deliberate leak of the same size")
    func measurementDetectsLeaks() throws {
        // Control for noLeaks: as many failed parses as noLeaks makes, deliberately not freed,
        // must show up; otherwise noLeaks would pass whatever the wrappers do.
        let before = try Self.residentBytes()
        for _ in 0..<180_000 {
            _ = "SELECT 1; garbage".withCString { pg_query_parse($0) }
        }
        let growth = try Self.residentBytes() - before
        #expect(growth >= 6 * Self.megabyte, "resident memory grew by only \(growth / Self.megabyte) MiB")
    }
    #endif
}
