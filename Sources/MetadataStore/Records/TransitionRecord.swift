import AnalyticsCore
import Foundation

/// One lifecycle move of a dataset, kept forever for audit.
public struct TransitionRecord: Sendable, Codable, Hashable {
    public var datasetID: String
    public var from: LifecycleState
    public var to: LifecycleState
    public var actor: String
    public var note: String?
    public var at: Date

    public init(datasetID: String, from: LifecycleState, to: LifecycleState, actor: String, note: String?, at: Date) {
        self.datasetID = datasetID
        self.from = from
        self.to = to
        self.actor = actor
        self.note = note
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case from, to, actor, note, at
        case datasetID = "dataset_id"
    }
}
