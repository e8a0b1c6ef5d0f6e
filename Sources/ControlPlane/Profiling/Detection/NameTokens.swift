/// Splits identifiers into lower-case words for name-based detection: `respondent_id`,
/// `RespondentID`, `Respondent Id` and `respondent-id` all give `["respondent", "id"]`.
enum NameTokens {
    static func split(_ name: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var previous: Character?
        for character in name {
            if !(character.isLetter || character.isNumber) {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
                if !current.isEmpty { tokens.append(current) }
                current = String(character)
            } else {
                current.append(character)
            }
            previous = character
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens.map { $0.lowercased() }
    }

    /// The name in lower snake case (`RespondentID` → `respondent_id`).
    static func snake(_ name: String) -> String {
        self.split(name).joined(separator: "_")
    }
}
