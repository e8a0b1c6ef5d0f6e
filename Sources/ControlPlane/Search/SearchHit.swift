/// A document with its relevance to a query and the query terms it contained.
public struct SearchHit: Sendable, Hashable {
    public var document: SearchDocument
    public var score: Double
    public var matchedTerms: [String]

    public init(document: SearchDocument, score: Double, matchedTerms: [String]) {
        self.document = document
        self.score = score
        self.matchedTerms = matchedTerms
    }
}
