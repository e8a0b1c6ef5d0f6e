import AnalyticsCore
import Foundation
import SQLGuard
import Testing

@Suite("Corpus")
struct CorpusTests {
    let guardrail = SQLGuard()

    @Test("the corpus files load and are big enough")
    func corpusSize() throws {
        let hostile = try Corpus.load("hostile")
        let legitimate = try Corpus.load("legitimate")
        #expect(hostile.count >= 170)
        #expect(legitimate.count >= 90)
        #expect(Corpus.hostile.count == hostile.count)
        #expect(Corpus.legitimate.count == legitimate.count)
        let codes = Set(hostile.compactMap(\.code))
        #expect(
            codes == ["SQL_EMPTY", "SQL_PARSE_ERROR", "SQL_MULTIPLE_STATEMENTS", "SQL_NOT_READ_ONLY", "SQL_FORBIDDEN_FUNCTION"]
        )
        #expect(Set(hostile.map(\.sql)).count == hostile.count, "duplicate hostile statements")
        #expect(Set(legitimate.map(\.sql)).count == legitimate.count, "duplicate legitimate statements")
    }

    @Test("every hostile statement is refused with its exact code", arguments: Corpus.hostile)
    func hostile(_ entry: Corpus.Entry) throws {
        let expected = try #require(entry.code)
        do {
            let analysis = try self.guardrail.analyze(entry.sql)
            Issue.record("accepted as \(analysis.statementKind): \(entry.sql)")
        } catch {
            #expect(error.code.rawValue == expected, "\(error.message)")
            #expect(!error.message.isEmpty)
            #expect(error.hint?.isEmpty == false)
            #expect(error.httpStatus == 400)
            if expected == "SQL_FORBIDDEN_FUNCTION" {
                #expect(error.details?["function"]?.stringValue != nil)
                #expect(error.details?["location"]?.intValue != nil)
            }
            if expected == "SQL_NOT_READ_ONLY" || expected == "SQL_MULTIPLE_STATEMENTS" {
                #expect(error.details?["location"]?.intValue != nil)
            }
        }
    }

    @Test("every legitimate statement is accepted", arguments: Corpus.legitimate)
    func legitimate(_ entry: Corpus.Entry) throws {
        let analysis = try self.guardrail.analyze(entry.sql)
        #expect(analysis.fingerprint.count == 16)
        #expect(!analysis.normalizedSQL.isEmpty)
    }
}
