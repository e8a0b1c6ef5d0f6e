import AnalyticsCore

/// Checks a reviewer's metadata document: a JSON object whose known fields (those of the draft
/// schema) have the right types. Unknown fields are kept — reviewers may add their own.
enum MetadataDocumentRules {
    static let stringFields = ["summary", "description"]
    static let stringListFields = ["use_cases", "quality_notes", "improvement_suggestions", "suggested_tags"]

    static func validate(_ document: JSONValue) throws {
        guard let object = document.objectValue else {
            throw AnalyticsError.invalidRequest("metadata must be a JSON object.", hint: "Send {\"metadata\": {…}}; GET the current document first.")
        }
        for field in self.stringFields {
            if let value = object[field], value.stringValue == nil {
                throw self.wrongType("metadata.\(field)", "a string")
            }
        }
        for field in self.stringListFields {
            if let value = object[field], !(value.arrayValue?.allSatisfy { $0.stringValue != nil } ?? false) {
                throw self.wrongType("metadata.\(field)", "an array of strings")
            }
        }
        if let dictionary = object["data_dictionary"] {
            guard let tables = dictionary.arrayValue else { throw self.wrongType("metadata.data_dictionary", "an array of tables") }
            for (index, table) in tables.enumerated() {
                let path = "metadata.data_dictionary[\(index)]"
                guard table["table"]?.stringValue != nil else { throw self.wrongType("\(path).table", "a string") }
                if let description = table["description"], description.stringValue == nil {
                    throw self.wrongType("\(path).description", "a string")
                }
                guard let columns = table["columns"] else { continue }
                guard let list = columns.arrayValue else { throw self.wrongType("\(path).columns", "an array of columns") }
                for (position, column) in list.enumerated() where column["name"]?.stringValue == nil {
                    throw self.wrongType("\(path).columns[\(position)].name", "a string")
                }
            }
        }
    }

    private static func wrongType(_ field: String, _ expected: String) -> AnalyticsError {
        AnalyticsError.invalidRequest("Field '\(field)' must be \(expected).", hint: "See the metadata document schema in /openapi.json.")
    }
}
