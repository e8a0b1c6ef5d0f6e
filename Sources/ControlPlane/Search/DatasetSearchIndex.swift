import AnalyticsCore

/// Lexical search over the documentation of active datasets: one document per dataset and one per
/// table, ranked with BM25 over names, descriptions, tags, reviewed metadata, and table and column
/// names (with comments and common values of non-personal columns).
///
/// Feeds `search_datasets` and the ChatGPT-style `search`/`fetch` tools. Hybrid ranking with
/// embeddings can be layered on top by re-scoring ``search(_:limit:kinds:)`` hits by document id.
public struct DatasetSearchIndex: Sendable {
    /// One dataset's standing for a query: its best document and the tables that matched.
    public struct DatasetMatch: Sendable, Hashable {
        public var datasetID: String
        public var score: Double
        public var matchedTables: [String]
        public var matchedTerms: [String]
    }

    public let index: BM25Index
    let byID: [String: SearchDocument]

    public init(entries: [(dataset: Dataset, profile: DatasetProfile?)]) {
        let documents = entries.flatMap { DatasetDocuments.documents(for: $0.dataset, profile: $0.profile) }
        self.index = BM25Index(documents: documents)
        self.byID = Dictionary(documents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The document with this id (`dataset_id` or `dataset_id/table`).
    public func document(id: String) -> SearchDocument? {
        self.byID[id]
    }

    public func search(_ query: String, limit: Int, kinds: Set<SearchDocument.Kind>? = nil) -> [SearchHit] {
        self.index.search(query, limit: limit) { kinds?.contains($0.kind) ?? true }
    }

    /// Datasets ranked by their best-matching document, with a small bonus for further matching tables.
    public func rankDatasets(_ query: String, limit: Int) -> [DatasetMatch] {
        let hits = self.index.search(query, limit: max(self.index.count, 1))
        var grouped: [String: [SearchHit]] = [:]
        for hit in hits { grouped[hit.document.datasetID, default: []].append(hit) }
        var matches = grouped.map { datasetID, hits -> DatasetMatch in
            let best = hits.map(\.score).max() ?? 0
            let rest = hits.map(\.score).reduce(0, +) - best
            let tables = hits.filter { $0.document.kind == .table }.compactMap { $0.document.metadata["table"]?.stringValue }
            let terms = Set(hits.flatMap(\.matchedTerms)).sorted()
            return DatasetMatch(datasetID: datasetID, score: best + 0.1 * rest, matchedTables: tables, matchedTerms: terms)
        }
        matches.sort { $0.score != $1.score ? $0.score > $1.score : $0.datasetID < $1.datasetID }
        return Array(matches.prefix(max(limit, 0)))
    }
}
