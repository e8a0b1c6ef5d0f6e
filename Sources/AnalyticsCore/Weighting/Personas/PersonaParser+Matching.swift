extension PersonaParser {
    struct ParseState {
        var filters: [String: Set<String>] = [:]
        var unknown: [String] = []
        var merged: [(raw: String, target: String, column: String)] = []
        var ambiguous: [(phrase: String, columns: [String: String])] = []
        /// The dimension named or matched last, which disambiguates the next phrase.
        var context: String?
        var lastWasUnknown = false

        mutating func addUnknown(_ word: String) {
            if self.lastWasUnknown, let last = self.unknown.popLast() {
                self.unknown.append(last + " " + word)
            } else {
                self.unknown.append(word)
            }
            self.lastWasUnknown = true
        }
    }

    /// Consumes the phrase starting at `index` and returns the index after it.
    func step(_ words: [String], at index: Int, _ state: inout ParseState) -> Int {
        let wasUnknown = state.lastWasUnknown
        state.lastWasUnknown = false
        if let (length, matches) = self.longestMatch(words, from: index) {
            let phrase = words[index..<(index + length)].joined(separator: " ")
            let candidates = matches.filter { !$0.isDimension }
            if candidates.isEmpty {
                let columns = Set(matches.map(\.column))
                state.context = columns.count == 1 ? columns.first : nil
                return index + length
            }
            var chosen = candidates
            let columns = Set(candidates.map(\.column))
            let filler = length == 1 && Self.fillers.contains(phrase)
            if let context = state.context, columns.contains(context) {
                chosen = candidates.filter { $0.column == context }
            } else if filler {
                return index + 1
            } else if columns.count > 1 {
                var named: [String: String] = [:]
                for case .value(let column, let value) in candidates { named[column] = value }
                for case .mergedSource(let column, let raw, _) in candidates { named[column] = raw }
                state.ambiguous.append((phrase, named))
                return index + length
            }
            for match in chosen {
                switch match {
                case .value(let column, let value): state.filters[column, default: []].insert(value)
                case .mergedSource(let column, let raw, let target): state.merged.append((raw, target, column))
                case .dimension: break
                }
            }
            state.context = chosen.first?.column
            return index + length
        }
        if Self.fillers.contains(words[index]) || Self.everyone.contains(words[index]) { return index + 1 }
        if let (length, column, values) = self.rangeMatch(words, from: index, context: state.context) {
            for value in values { state.filters[column, default: []].insert(value) }
            state.context = column
            return index + length
        }
        state.lastWasUnknown = wasUnknown
        state.addUnknown(words[index])
        return index + 1
    }

    func longestMatch(_ words: [String], from index: Int) -> (Int, Set<Match>)? {
        let longest = min(self.longestPhrase, words.count - index)
        guard longest > 0 else { return nil }
        for length in stride(from: longest, through: 1, by: -1) {
            let phrase = words[index..<(index + length)].joined(separator: " ")
            if let matches = self.phrases[phrase] { return (length, matches) }
        }
        return nil
    }

    /// A numeric band covering no single value but exactly a run of adjacent bands: `35 54`, `45+`.
    func rangeMatch(_ words: [String], from index: Int, context: String?) -> (Int, String, [String])? {
        let range: (low: Int, high: Int)
        let length: Int
        if index + 1 < words.count, let low = Int(words[index]), let high = Int(words[index + 1]), low <= high {
            (range, length) = ((low, high), 2)
        } else if words[index].hasSuffix("+"), let low = Int(words[index].dropLast()) {
            (range, length) = ((low, Int.max), 1)
        } else {
            return nil
        }
        var found: [(String, [String])] = []
        for dimension in self.config.dimensions {
            let bands = dimension.values.compactMap { value in Self.band(value.value).map { (value.value, $0) } }
            guard !bands.isEmpty, bands.count == dimension.values.count else { continue }
            let inside = bands.filter { $0.1.low >= range.low && $0.1.high <= range.high }.sorted { $0.1.low < $1.1.low }
            guard let first = inside.first, let last = inside.last, first.1.low == range.low, last.1.high == range.high else { continue }
            let contiguous = zip(inside, inside.dropFirst()).allSatisfy { $0.1.high != Int.max && $1.1.low == $0.1.high + 1 }
            if contiguous { found.append((dimension.column, inside.map(\.0))) }
        }
        if let context, let preferred = found.first(where: { $0.0 == context }) { return (length, preferred.0, preferred.1) }
        guard found.count == 1, let only = found.first else { return nil }
        return (length, only.0, only.1)
    }

    /// `15-24` → 15…24, `55+` → 55…∞.
    static func band(_ value: String) -> (low: Int, high: Int)? {
        let words = PersonaText.words(value)
        if words.count == 2, let low = Int(words[0]), let high = Int(words[1]), low <= high { return (low, high) }
        if words.count == 1, words[0].hasSuffix("+"), let low = Int(words[0].dropLast()) { return (low, Int.max) }
        return nil
    }
}
