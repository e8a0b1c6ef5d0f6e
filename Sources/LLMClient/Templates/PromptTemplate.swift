import AnalyticsCore
import Foundation

/// A prompt kept as a file in `Sources/LLMClient/Prompts/`, with `{{name}}` placeholders.
///
/// Prompts live in the repository, not in code, so they can be reviewed and diffed like any text.
/// Rendering is strict: a placeholder without a value is an error listing every such name, so a
/// renamed variable can never send a half-filled prompt to the provider. Values are inserted
/// verbatim and never rescanned, so data that happens to contain `{{…}}` stays data.
public struct PromptTemplate: Sendable, Hashable {
    /// The directory inside the module bundle that holds the templates.
    public static let directory = "Prompts"

    public let name: String
    public let text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// Loads `name` (e.g. `"metadata_draft.system.md"`; `.md` is assumed when there is no extension)
    /// from the `Prompts` directory of `bundle` (this module's resource bundle by default).
    public static func load(_ name: String, bundle: Bundle? = nil) throws -> PromptTemplate {
        let bundle = bundle ?? .module
        let fileName = name.hasSuffix(".md") || name.hasSuffix(".txt") ? name : name + ".md"
        guard !fileName.contains("/"), !fileName.hasPrefix("."),
            let url = bundle.resourceURL?.appendingPathComponent(Self.directory).appendingPathComponent(fileName),
            let data = FileManager.default.contents(atPath: url.path),
            let text = String(data: data, encoding: .utf8)
        else {
            throw AnalyticsError(
                .internalError,
                "The prompt template '\(fileName)' is missing from the \(Self.directory) resources.",
                hint: "Reinstall the server; the prompt templates ship inside its resource bundle.",
                details: ["template": .string(fileName)]
            )
        }
        return PromptTemplate(name: fileName, text: text)
    }

    /// The placeholder names in order of first appearance.
    public var placeholders: [String] {
        var seen = Set<String>()
        return self.segments.compactMap { segment in
            guard case .placeholder(let name) = segment, seen.insert(name).inserted else { return nil }
            return name
        }
    }

    /// The text with every placeholder replaced by its value; values for unused names are ignored.
    public func render(_ values: [String: String]) throws -> String {
        let segments = self.segments
        let missing = self.placeholders.filter { values[$0] == nil }
        guard missing.isEmpty else {
            throw AnalyticsError(
                .internalError,
                "The prompt template '\(self.name)' has placeholders without values: \(missing.joined(separator: ", ")).",
                hint: "Pass a value for every {{placeholder}} in the template.",
                details: ["template": .string(self.name), "missing_placeholders": .array(missing.map(JSONValue.string))]
            )
        }
        var output = ""
        output.reserveCapacity(self.text.utf8.count)
        for segment in segments {
            switch segment {
            case .literal(let text): output += text
            case .placeholder(let name): output += values[name] ?? ""
            }
        }
        return output
    }

    enum Segment: Equatable {
        case literal(Substring)
        case placeholder(String)
    }

    /// Splits the text at `{{name}}` markers; a `{{` not followed by a valid name and `}}` is literal.
    var segments: [Segment] {
        var segments: [Segment] = []
        var literalStart = self.text.startIndex
        var cursor = self.text.startIndex
        while let open = self.text.range(of: "{{", range: cursor..<self.text.endIndex) {
            guard let close = self.text.range(of: "}}", range: open.upperBound..<self.text.endIndex) else { break }
            let name = self.text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard Self.isValidName(name) else {
                cursor = open.upperBound
                continue
            }
            if literalStart < open.lowerBound { segments.append(.literal(self.text[literalStart..<open.lowerBound])) }
            segments.append(.placeholder(name))
            literalStart = close.upperBound
            cursor = close.upperBound
        }
        if literalStart < self.text.endIndex { segments.append(.literal(self.text[literalStart...])) }
        return segments
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == ".")
            }
    }
}
