import AnalyticsCore
import DataPlane
import DemoPanel

/// The demo weighting document with edits, for configs that differ in one respect.
enum ConfigEdits {
    static func demo(_ edit: (inout [String: JSONValue]) -> Void = { _ in }) -> JSONValue {
        var root = DemoPanel.weightingConfig.objectValue ?? [:]
        edit(&root)
        return .object(root)
    }

    /// Applies `edit` to the dimension on `column`.
    static func dimension(_ column: String, in root: inout [String: JSONValue], _ edit: (inout [String: JSONValue]) -> Void) {
        guard var dimensions = root["dimensions"]?.arrayValue else { return }
        for index in dimensions.indices where dimensions[index]["column"]?.stringValue == column {
            var object = dimensions[index].objectValue ?? [:]
            edit(&object)
            dimensions[index] = .object(object)
        }
        root["dimensions"] = .array(dimensions)
    }

    static func config(_ edit: (inout [String: JSONValue]) -> Void = { _ in }) throws -> WeightingConfig {
        try WeightingConfig(document: self.demo(edit))
    }
}
