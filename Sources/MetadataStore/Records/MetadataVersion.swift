import AnalyticsCore
import Foundation

/// A snapshot of a dataset after one edit: who changed it, when, and what it looked like afterwards.
public struct MetadataVersion: Sendable, Codable, Hashable {
    public var datasetID: String
    /// Equal to `Dataset.version` after the edit.
    public var version: Int
    public var author: String
    public var note: String?
    public var at: Date
    /// The dataset as it was after this edit.
    public var snapshot: Dataset

    public init(datasetID: String, version: Int, author: String, note: String?, at: Date, snapshot: Dataset) {
        self.datasetID = datasetID
        self.version = version
        self.author = author
        self.note = note
        self.at = at
        self.snapshot = snapshot
    }

    enum CodingKeys: String, CodingKey {
        case version, author, note, at, snapshot
        case datasetID = "dataset_id"
    }
}
