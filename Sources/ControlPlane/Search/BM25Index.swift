import Foundation

/// Okapi BM25 over weighted fields: a field of weight `w` counts its terms `w` times.
///
/// Built once per registry snapshot (datasets are few; rebuilding takes microseconds), so it is an
/// immutable value that concurrent tool calls share without locking.
public struct BM25Index: Sendable {
    public let k1: Double
    public let b: Double
    let documents: [SearchDocument]
    let termFrequencies: [[String: Double]]
    let lengths: [Double]
    let documentFrequency: [String: Int]
    let averageLength: Double

    public init(documents: [SearchDocument], k1: Double = 1.2, b: Double = 0.75) {
        self.k1 = k1
        self.b = b
        self.documents = documents
        var frequencies: [[String: Double]] = []
        var lengths: [Double] = []
        var documentFrequency: [String: Int] = [:]
        for document in documents {
            var counts: [String: Double] = [:]
            var length = 0.0
            for field in document.fields {
                for term in SearchTokenizer.terms(field.text) {
                    counts[term, default: 0] += Double(field.weight)
                    length += Double(field.weight)
                }
            }
            for term in counts.keys { documentFrequency[term, default: 0] += 1 }
            frequencies.append(counts)
            lengths.append(length)
        }
        self.termFrequencies = frequencies
        self.lengths = lengths
        self.documentFrequency = documentFrequency
        self.averageLength = lengths.isEmpty ? 1 : max(lengths.reduce(0, +) / Double(lengths.count), 1)
    }

    public var count: Int { self.documents.count }

    /// Documents containing at least one query term, best first (ties by id, so results are stable).
    public func search(_ query: String, limit: Int, where include: (SearchDocument) -> Bool = { _ in true }) -> [SearchHit] {
        let queryTerms = Array(Set(SearchTokenizer.terms(query)))
        guard !queryTerms.isEmpty, limit > 0 else { return [] }
        let n = Double(self.documents.count)
        var hits: [SearchHit] = []
        for (index, document) in self.documents.enumerated() where include(document) {
            var score = 0.0
            var matched: [String] = []
            for term in queryTerms {
                guard let tf = self.termFrequencies[index][term], let df = self.documentFrequency[term] else { continue }
                let idf = log(1 + (n - Double(df) + 0.5) / (Double(df) + 0.5))
                let norm = tf + self.k1 * (1 - self.b + self.b * self.lengths[index] / self.averageLength)
                score += idf * tf * (self.k1 + 1) / norm
                matched.append(term)
            }
            if score > 0 { hits.append(SearchHit(document: document, score: score, matchedTerms: matched.sorted())) }
        }
        hits.sort { $0.score != $1.score ? $0.score > $1.score : $0.document.id < $1.document.id }
        return Array(hits.prefix(limit))
    }
}
