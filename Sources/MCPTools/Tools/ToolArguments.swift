import AnalyticsCore
import Foundation

/// A tool call's arguments with typed, validating accessors.
///
/// Every problem is an `INVALID_REQUEST` naming the argument and what is expected, returned to the
/// client as a tool error result (never a protocol error), so a model can correct its call.
public struct ToolArguments: Sendable {
    public let tool: String
    public let values: [String: JSONValue]

    public init(tool: String, values: [String: JSONValue]) {
        self.tool = tool
        self.values = values
    }

    /// Refuses arguments the tool does not take (a misspelt `datasetId` should not pass silently).
    public func requireOnly(_ allowed: Set<String>) throws {
        let unknown = self.values.keys.filter { !allowed.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw AnalyticsError.invalidRequest(
                "\(self.tool) does not take \(unknown.map { "'\($0)'" }.joined(separator: ", ")).",
                hint: allowed.isEmpty ? "Call it without arguments." : "Arguments: \(allowed.sorted().joined(separator: ", "))."
            )
        }
    }

    public func string(_ name: String) throws -> String? {
        guard let value = self.present(name) else { return nil }
        guard let string = value.stringValue else { throw self.wrongType(name, "a string") }
        return string
    }

    public func requiredString(_ name: String) throws -> String {
        guard let value = try self.string(name) else { throw self.missing(name) }
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw AnalyticsError.invalidRequest("\(self.tool): '\(name)' is empty.", hint: "Pass a non-empty '\(name)'.")
        }
        return value
    }

    public func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = self.present(name) else { return nil }
        guard let int = value.intValue, let bounded = Int(exactly: int) else { throw self.wrongType(name, "an integer") }
        guard range.contains(bounded) else {
            throw AnalyticsError.invalidRequest(
                "\(self.tool): '\(name)' = \(bounded) is out of range.",
                hint: "Use \(range.lowerBound)–\(range.upperBound)."
            )
        }
        return bounded
    }

    public func stringArray(_ name: String) throws -> [String]? {
        guard let value = self.present(name) else { return nil }
        guard let items = value.arrayValue else { throw self.wrongType(name, "an array of strings") }
        return try items.map { item in
            guard let s = item.stringValue else { throw self.wrongType(name, "an array of strings") }
            return s
        }
    }

    public func object(_ name: String) throws -> [String: JSONValue]? {
        guard let value = self.present(name) else { return nil }
        guard let object = value.objectValue else { throw self.wrongType(name, "an object") }
        return object
    }

    /// A `dataset_id` that must name one of `active` (the ids in the tool's enum).
    public func datasetID(_ name: String = "dataset_id", active: [String], required: Bool = true) throws -> String? {
        guard let id = try self.string(name) else {
            if required { throw self.missing(name) }
            return nil
        }
        guard active.contains(id) else { throw Self.unknownDataset(id, active: active) }
        return id
    }

    static func unknownDataset(_ id: String, active: [String]) -> AnalyticsError {
        AnalyticsError(
            .datasetNotFound,
            "No active dataset with id '\(id)'.",
            hint: active.isEmpty ? "No dataset is active yet." : "Active datasets: \(active.joined(separator: ", ")).",
            details: ["active": .array(active.map(JSONValue.string))]
        )
    }

    /// `nil` for absent or explicit `null` (clients send both for "not given").
    func present(_ name: String) -> JSONValue? {
        guard let value = self.values[name], !value.isNull else { return nil }
        return value
    }

    func missing(_ name: String) -> AnalyticsError {
        AnalyticsError.invalidRequest("\(self.tool) needs '\(name)'.", hint: "Pass '\(name)'; see the tool's input schema.")
    }

    func wrongType(_ name: String, _ expected: String) -> AnalyticsError {
        AnalyticsError.invalidRequest("\(self.tool): '\(name)' must be \(expected).", hint: "See the tool's input schema.")
    }
}
