import Foundation
import Testing

/// The statement corpus in `Corpus/`, loaded from the test bundle.
enum Corpus {
    struct Entry: Decodable, Sendable, CustomTestStringConvertible {
        var sql: String
        var note: String
        /// The expected error code (hostile entries only).
        var code: String?

        var testDescription: String { "\(self.code ?? "accept") — \(self.note)" }
    }

    private struct File: Decodable {
        var entries: [Entry]
    }

    enum LoadError: Error {
        case missing(String)
    }

    static func load(_ name: String) throws -> [Entry] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Corpus") else {
            throw LoadError.missing(name)
        }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).entries
    }

    /// For parameterized tests; a load failure leaves the list empty, which the size tests catch.
    static let hostile: [Entry] = (try? load("hostile")) ?? []
    static let legitimate: [Entry] = (try? load("legitimate")) ?? []
}
