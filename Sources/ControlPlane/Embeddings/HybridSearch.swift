import AnalyticsCore
import MetadataStore

/// Ranks datasets for a question by BM25 over their documentation blended with the cosine
/// similarity of the question's embedding to the stored document vectors.
///
/// A dataset's lexical score is its BM25 standing divided by the best one (so 0…1); its semantic
/// score is the best cosine similarity of any of its documents, floored at 0. The blend is
/// `lexicalWeight · lexical + (1 − lexicalWeight) · semantic`. Without a query vector or stored
/// vectors the ranking is BM25 alone — the server without an embeddings endpoint. A dataset with
/// no shared word but a close vector still ranks: that is what the embeddings add.
public struct HybridSearch: Sendable, Hashable {
    public var lexicalWeight: Double
    /// Semantic scores below this are noise and count as no match.
    public var minimumSimilarity: Double

    public init(lexicalWeight: Double = 0.5, minimumSimilarity: Double = 0.2) {
        self.lexicalWeight = min(max(lexicalWeight, 0), 1)
        self.minimumSimilarity = minimumSimilarity
    }

    public func rankDatasets(
        _ query: String,
        index: DatasetSearchIndex,
        queryVector: [Float]?,
        embeddings: [EmbeddingRecord],
        limit: Int
    ) -> [DatasetSearchIndex.DatasetMatch] {
        let lexical = index.rankDatasets(query, limit: max(index.index.count, 1))
        guard let queryVector, !embeddings.isEmpty else { return Array(lexical.prefix(max(limit, 0))) }
        let best = lexical.map(\.score).max() ?? 0
        var matches = Dictionary(uniqueKeysWithValues: lexical.map { ($0.datasetID, $0) })
        var lexicalScore = Dictionary(uniqueKeysWithValues: lexical.map { ($0.datasetID, best > 0 ? $0.score / best : 0) })
        var semanticScore: [String: Double] = [:]
        for record in embeddings where index.document(id: record.documentID) != nil {
            let similarity = Self.cosine(queryVector, record.vector)
            guard similarity >= self.minimumSimilarity else { continue }
            semanticScore[record.datasetID] = max(semanticScore[record.datasetID] ?? 0, similarity)
        }
        for datasetID in semanticScore.keys where matches[datasetID] == nil {
            matches[datasetID] = DatasetSearchIndex.DatasetMatch(datasetID: datasetID, score: 0, matchedTables: [], matchedTerms: [])
            lexicalScore[datasetID] = 0
        }
        var ranked = matches.values.map { match -> DatasetSearchIndex.DatasetMatch in
            var match = match
            match.score =
                self.lexicalWeight * (lexicalScore[match.datasetID] ?? 0) + (1 - self.lexicalWeight) * (semanticScore[match.datasetID] ?? 0)
            return match
        }
        ranked.sort { $0.score != $1.score ? $0.score > $1.score : $0.datasetID < $1.datasetID }
        return Array(ranked.filter { $0.score > 0 }.prefix(max(limit, 0)))
    }

    /// Cosine similarity; 0 for vectors of different dimension or zero length.
    public static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        var dot = 0.0
        var normA = 0.0
        var normB = 0.0
        for index in a.indices {
            let x = Double(a[index])
            let y = Double(b[index])
            dot += x * y
            normA += x * x
            normB += y * y
        }
        guard normA > 0, normB > 0 else { return 0 }
        return dot / (normA.squareRoot() * normB.squareRoot())
    }
}
