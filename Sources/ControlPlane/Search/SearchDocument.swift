import AnalyticsCore

/// One searchable unit of dataset documentation: a whole dataset or one of its tables.
///
/// `fields` carry the text that is ranked, each with a weight (names count more than prose);
/// `text` is the readable rendering `fetch` returns. Embeddings, when the onboarding pipeline adds
/// them, attach to the same documents by `id`.
public struct SearchDocument: Sendable, Hashable, Identifiable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case dataset
        case table
    }

    /// A ranked piece of text and how much its terms count.
    public struct Field: Sendable, Hashable {
        public var text: String
        public var weight: Int

        public init(_ text: String, weight: Int = 1) {
            self.text = text
            self.weight = max(weight, 1)
        }
    }

    /// `dataset_id` for a dataset, `dataset_id/table` for a table.
    public var id: String
    public var datasetID: String
    public var kind: Kind
    public var title: String
    public var fields: [Field]
    /// What a reader (human or model) sees when the document is fetched.
    public var text: String
    public var url: String
    public var metadata: [String: JSONValue]

    public init(
        id: String,
        datasetID: String,
        kind: Kind,
        title: String,
        fields: [Field],
        text: String,
        url: String,
        metadata: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.datasetID = datasetID
        self.kind = kind
        self.title = title
        self.fields = fields
        self.text = text
        self.url = url
        self.metadata = metadata
    }
}
