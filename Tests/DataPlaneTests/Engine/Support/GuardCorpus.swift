import Foundation

/// The SQL guard's statement corpus and schema (`Tests/SQLGuardTests/Corpus`), read by path so the
/// engine tests run exactly the statements the guard tests check.
enum GuardCorpus {
    struct Entry: Decodable, Sendable {
        var sql: String
        var note: String
        var code: String?
    }

    private struct File: Decodable {
        var entries: [Entry]
    }

    static var directory: URL {
        var url = URL(fileURLWithPath: #filePath)
        // …/Tests/DataPlaneTests/Engine/Support/GuardCorpus.swift → …/Tests
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("SQLGuardTests/Corpus")
    }

    static func entries(_ name: String) throws -> [Entry] {
        let data = try Data(contentsOf: self.directory.appendingPathComponent(name + ".json"))
        return try JSONDecoder().decode(File.self, from: data).entries
    }

    /// The statements of `schema.sql`, split at semicolons that end a line (the file's layout).
    static func schemaStatements() throws -> [String] {
        let text = try String(contentsOf: self.directory.appendingPathComponent("schema.sql"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("--") }
        var statements: [String] = []
        var current = ""
        for line in lines {
            current += line + "\n"
            if line.hasSuffix(";") {
                statements.append(String(current.trimmingCharacters(in: .whitespacesAndNewlines).dropLast()))
                current = ""
            }
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { statements.append(rest) }
        return statements
    }
}
