import AnalyticsCore
import Foundation

/// Builds `describe_dataset` answers, levels 1–3 (DESIGN §5.3), within a character budget.
///
/// Level 1 fits a 50-table dataset in ~2k tokens by listing tables with sizes only; levels 2–3 cover
/// the requested tables (or as many as fit) and say which were left out and how to ask for them.
struct DatasetContext: Sendable {
    var dataset: Dataset
    var profile: DatasetProfile?
    var limits: ToolLimits

    /// Rows of samples level 3 shows per table.
    static let sampleRowLimit = 5
    /// Characters of free text (descriptions, comments) a level shows before cutting.
    static let descriptionLimit = 600

    func build(level: ContextLevel, tables requested: [String]?) throws -> JSONValue {
        switch level {
        case .summary: self.summary()
        case .detail, .samples: try self.detail(level: level, requested: requested)
        }
    }

    /// Fields every level starts with.
    func header(level: ContextLevel) -> [String: JSONValue] {
        var object: [String: JSONValue] = [
            "dataset_id": .string(self.dataset.id),
            "level": .int(Int64(level.rawValue)),
            "name": .string(self.dataset.name),
            "description": .string(Self.cut(self.dataset.description, Self.descriptionLimit)),
            "tags": .array(self.dataset.tags.map(JSONValue.string)),
            "weighted": .bool(self.dataset.weighting != nil),
        ]
        let coverage = DatasetSummary(dataset: self.dataset, profile: self.profile).coverage
        object["coverage"] = coverage.map { ["first": .string($0.first), "last": .string($0.last)] } ?? .null
        if let profile {
            object["profiled_at"] = .string(profile.createdAt.formatted(.iso8601))
        } else {
            object["profiled_at"] = .null
        }
        return object
    }

    static func cut(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    static func size(_ value: JSONValue) -> Int {
        value.serialized().utf8.count
    }
}
