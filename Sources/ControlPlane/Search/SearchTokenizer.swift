/// Splits documentation and queries into comparable terms for lexical ranking.
///
/// Column and table names are written as `snake_case` or `camelCase`, so both are split into their
/// words (`hh_income` → `hh`, `income`), and the joined name is kept too so an exact identifier
/// still ranks first. Terms are lowercased, very common English words are dropped, and plural
/// endings are folded (`respondents` → `respondent`) so a question and a schema meet halfway.
public enum SearchTokenizer {
    /// The terms of `text`, in order, with repeats (BM25 counts them).
    public static func terms(_ text: String) -> [String] {
        var terms: [String] = []
        for word in self.words(text) {
            let parts = self.identifierParts(word)
            if parts.count > 1 {
                let joined = parts.joined(separator: "_").lowercased()
                if let term = self.normalise(joined) { terms.append(term) }
            }
            for part in parts {
                if let term = self.normalise(part.lowercased()) { terms.append(term) }
            }
        }
        return terms
    }

    /// Runs of letters, digits and underscores.
    static func words(_ text: String) -> [Substring] {
        text.split { !($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// `hh_income` → `[hh, income]`; `weightFactor` → `[weight, Factor]`.
    static func identifierParts(_ word: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        var previous: Character?
        for character in word {
            if character == "_" {
                if !current.isEmpty { parts.append(current) }
                current = ""
            } else if character.isUppercase, let previous, previous.isLowercase {
                parts.append(current)
                current = String(character)
            } else {
                current.append(character)
            }
            previous = character
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    static func normalise(_ term: String) -> String? {
        guard !term.isEmpty, !self.stopWords.contains(term) else { return nil }
        return self.stem(term)
    }

    /// Light plural folding; enough for schema vocabulary without a stemming library.
    static func stem(_ term: String) -> String {
        guard term.count > 3, term.last == "s", !term.allSatisfy(\.isNumber) else { return term }
        if term.hasSuffix("ies") { return String(term.dropLast(3)) + "y" }
        if term.hasSuffix("ss") || term.hasSuffix("us") || term.hasSuffix("is") { return term }
        if term.hasSuffix("sses") || term.hasSuffix("xes") || term.hasSuffix("ches") || term.hasSuffix("shes") {
            return String(term.dropLast(2))
        }
        return String(term.dropLast())
    }

    static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "i", "in", "is", "it",
        "many", "much", "of", "on", "or", "per", "the", "this", "to", "was", "what", "when", "where", "which", "who",
        "why", "with", "me", "my", "we", "our", "show", "give", "tell", "about", "there", "their", "that", "these",
    ]
}
