import Foundation

extension FakeOpenAIServer {
    /// Dimensions of the fake embeddings.
    public static let embeddingDimensions = 64

    /// A deterministic embedding: a hashed bag of lower-cased words in 64 signed dimensions,
    /// normalised to length 1, so texts that share words are near and unrelated texts are not.
    public static func embedding(for text: String) -> [Float] {
        var vector = [Float](repeating: 0, count: Self.embeddingDimensions)
        for word in Self.words(text.lowercased()) {
            let hash = Self.fnv1a(word)
            let index = Int(hash % UInt64(Self.embeddingDimensions))
            vector[index] += (hash >> 63) == 0 ? 1 : -1
        }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else {
            vector[0] = 1
            return vector
        }
        return vector.map { $0 / norm }
    }

    /// The fake's token count: the number of words.
    public static func tokenCount(_ text: String) -> Int {
        Self.words(text).count
    }

    static func words(_ text: String) -> [Substring] {
        text.split { !($0.isLetter || $0.isNumber) }
    }

    /// FNV-1a, because Swift's `Hasher` is seeded per process and the vectors must be stable.
    static func fnv1a(_ word: Substring) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in word.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
