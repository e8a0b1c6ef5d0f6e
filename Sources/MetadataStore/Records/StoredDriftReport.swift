import AnalyticsCore
import Foundation

/// A drift report as the store keeps it: which two profile versions were compared and what changed.
///
/// The store treats the report body as an opaque JSON document (the control plane's `DriftReport`),
/// keyed by dataset and the two versions, so computing the same comparison twice stores it once.
public struct StoredDriftReport: Sendable, Codable, Hashable {
    public var datasetID: String
    public var fromVersion: Int
    public var toVersion: Int
    public var changeCount: Int
    public var report: JSONValue
    public var createdAt: Date

    public init(datasetID: String, fromVersion: Int, toVersion: Int, changeCount: Int, report: JSONValue, createdAt: Date = Date()) {
        self.datasetID = datasetID
        self.fromVersion = fromVersion
        self.toVersion = toVersion
        self.changeCount = changeCount
        self.report = report
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case report
        case datasetID = "dataset_id"
        case fromVersion = "from_version"
        case toVersion = "to_version"
        case changeCount = "change_count"
        case createdAt = "created_at"
    }
}
