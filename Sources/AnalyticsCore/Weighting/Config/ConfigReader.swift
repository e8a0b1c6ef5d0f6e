import Foundation

/// Reads a JSON document field by field, collecting every problem with its path
/// (`dimensions[2].merge.A1`) instead of stopping at the first, so a config editor sees them all.
struct ConfigReader {
    private(set) var problems: [String] = []

    mutating func fail(_ path: String, _ message: String) {
        self.problems.append(path.isEmpty ? message : "\(path): \(message)")
    }

    /// The object at `path`, or nil (recording a problem) when it is something else.
    mutating func object(_ value: JSONValue, at path: String, allowed: [String]) -> [String: JSONValue]? {
        guard let object = value.objectValue else {
            self.fail(path, "must be an object")
            return nil
        }
        for key in object.keys.sorted() where !allowed.contains(key) {
            self.fail(Self.join(path, key), "unknown field (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
        return object
    }

    mutating func string(_ object: [String: JSONValue], _ key: String, at path: String, numbers: Bool = false) -> String? {
        let field = Self.join(path, key)
        guard let value = object[key], !value.isNull else {
            self.fail(field, "is required")
            return nil
        }
        return self.text(value, at: field, numbers: numbers)
    }

    mutating func optionalString(_ object: [String: JSONValue], _ key: String, at path: String) -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        return self.text(value, at: Self.join(path, key))
    }

    /// A non-empty string without NUL; with `numbers`, numbers are accepted and written as text
    /// (category codes such as `1` are values, never names).
    mutating func text(_ value: JSONValue, at path: String, numbers: Bool = false) -> String? {
        let text: String
        switch value {
        case .string(let string): text = string
        case .int(let int) where numbers: text = String(int)
        case .number(let literal) where numbers: text = literal
        default:
            self.fail(path, "must be a string")
            return nil
        }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            self.fail(path, "must not be empty")
            return nil
        }
        guard !text.unicodeScalars.contains("\0") else {
            self.fail(path, "must not contain a NUL character")
            return nil
        }
        return text
    }

    mutating func int(_ object: [String: JSONValue], _ key: String, at path: String, default fallback: Int) -> Int {
        guard let value = object[key], !value.isNull else { return fallback }
        guard let int = value.intValue, let exact = Int(exactly: int) else {
            self.fail(Self.join(path, key), "must be an integer")
            return fallback
        }
        return exact
    }

    mutating func strings(_ object: [String: JSONValue], _ key: String, at path: String, numbers: Bool = false) -> [String] {
        guard let value = object[key], !value.isNull else { return [] }
        let field = Self.join(path, key)
        guard let array = value.arrayValue else {
            self.fail(field, "must be an array of strings")
            return []
        }
        return array.enumerated().compactMap { index, element in self.text(element, at: "\(field)[\(index)]", numbers: numbers) }
    }

    mutating func array(_ object: [String: JSONValue], _ key: String, at path: String) -> [JSONValue] {
        guard let value = object[key], !value.isNull else { return [] }
        guard let array = value.arrayValue else {
            self.fail(Self.join(path, key), "must be an array")
            return []
        }
        return array
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}
