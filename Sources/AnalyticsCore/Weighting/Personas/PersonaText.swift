/// The one normalisation persona names, labels, aliases and free text all go through, so that
/// "Female 25-34, NCCS-A", "female 25 to 34 nccs a" and "FEMALE 25–34 NCCS A" read the same.
///
/// Letters and digits are lower-cased and kept, as is `+` (`55+`); every other character
/// (hyphens, dashes, slashes, commas, underscores, dots) separates words; the word `to` between two
/// numbers is dropped (`25 to 34` → `25 34`, like `25-34`).
public enum PersonaText {
    public static func normalized(_ text: String) -> String {
        self.words(text).joined(separator: " ")
    }

    public static func words(_ text: String) -> [String] {
        var cleaned = ""
        for character in text.lowercased() {
            cleaned.append(character.isLetter || character.isNumber || character == "+" ? character : " ")
        }
        let raw = cleaned.split(separator: " ").map(String.init)
        var words: [String] = []
        for (index, word) in raw.enumerated() {
            if word == "to", index > 0, index + 1 < raw.count, self.isNumber(raw[index - 1]), self.isNumber(raw[index + 1]) {
                continue
            }
            words.append(word)
        }
        return words
    }

    static func isNumber(_ word: String) -> Bool {
        !word.isEmpty && word.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
