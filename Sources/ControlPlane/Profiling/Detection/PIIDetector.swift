import Foundation

/// Flags columns that look like personal data, by name and by the shape of their values.
///
/// Names are split into words (``NameTokens``) and matched against vocabularies; values (a probe
/// of up to a few hundred per text column) are checked character by character for e-mail
/// addresses, phone numbers, person names and near-unique letter-and-digit codes. A flagged
/// column's values are masked everywhere the profiler emits them.
struct PIIDetector: Sendable {
    /// Share of probed values that must have a shape for the column to be flagged by shape alone.
    var shapeShare = 0.6
    /// Share of probed values that must contain an e-mail or phone number to flag free text.
    var embeddedShare = 0.05

    struct Evidence: Sendable, Hashable {
        var values: [String]
        /// Distinct values / non-null values in the profiled rows.
        var distinctRatio: Double?
    }

    /// - Parameter holdsDates: the values are dates (then only the name can flag it, e.g. `dob`).
    func detect(columnName: String, kind: ColumnKind, isKey: Bool, holdsDates: Bool, evidence: Evidence) -> PIIKind? {
        if let byName = Self.byName(columnName) {
            // `name` alone is too common (brand_name, channel…): only as a person's name when values agree.
            if byName != .personName || Self.explicitPersonName(columnName) || self.looksLikeNames(evidence) {
                return byName
            }
        }
        guard kind.mayHoldText, !isKey, !holdsDates else { return nil }
        let values = evidence.values.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard values.count >= 5 else { return nil }
        func share(_ test: (String) -> Bool) -> Double { Double(values.filter(test).count) / Double(values.count) }
        if share(Self.isEmail) >= self.shapeShare { return .email }
        if share(Self.isPhone) >= self.shapeShare { return .phone }
        if self.looksLikeNames(evidence) { return .personName }
        if (evidence.distinctRatio ?? 0) >= 0.9, share(Self.isCode) >= self.shapeShare { return .identifier }
        if share({ Self.containsEmail($0) || Self.containsPhone($0) }) >= self.embeddedShare { return .contactInText }
        return nil
    }

    private func looksLikeNames(_ evidence: Evidence) -> Bool {
        let values = evidence.values.filter { !$0.isEmpty }
        guard values.count >= 5, (evidence.distinctRatio ?? 0) >= 0.3 else { return false }
        return Double(values.filter(Self.isPersonName).count) / Double(values.count) >= self.shapeShare
    }

    // MARK: Names

    static let emailWords: Set<String> = ["email", "mail", "emailaddress"]
    static let phoneWords: Set<String> = ["phone", "mobile", "msisdn", "telephone", "tel", "cell", "cellphone", "whatsapp", "landline"]
    static let personNameWords: Set<String> = ["firstname", "lastname", "fullname", "surname", "forename", "givenname", "familyname"]
    static let addressWords: Set<String> = ["address", "addr", "street", "postcode", "zipcode", "zip", "pincode", "postal"]
    static let birthWords: Set<String> = ["dob", "birthdate", "birthday", "birth"]
    static let identifierWords: Set<String> = [
        "ssn", "aadhaar", "aadhar", "passport", "pan", "voter", "licence", "license", "nationalid", "ip", "ipaddress", "imei",
        "mac", "deviceid", "nin", "taxid",
    ]

    static func byName(_ name: String) -> PIIKind? {
        let tokens = NameTokens.split(name)
        let joined = tokens.joined()
        let pairs = zip(tokens, tokens.dropFirst()).map { $0 + $1 }
        let words = Set(tokens + pairs + [joined])
        if !words.isDisjoint(with: self.emailWords) { return .email }
        if !words.isDisjoint(with: self.phoneWords) || words.contains("contactnumber") { return .phone }
        if !words.isDisjoint(with: self.birthWords) { return .birthDate }
        if !words.isDisjoint(with: self.personNameWords) || self.explicitPersonName(name) { return .personName }
        if tokens.last == "name" && tokens.count == 1 { return .personName }
        if !words.isDisjoint(with: self.identifierWords) { return .identifier }
        if !words.isDisjoint(with: self.addressWords) { return .address }
        return nil
    }

    /// `customer_name`, `respondent_name`, `person_name`… — names of people, whatever the values.
    static func explicitPersonName(_ name: String) -> Bool {
        let tokens = NameTokens.split(name)
        guard tokens.count >= 2, tokens.last == "name" else { return false }
        let owners: Set<String> = [
            "customer", "respondent", "person", "contact", "member", "panelist", "panellist", "user", "full", "first", "last", "client", "employee",
            "patient", "participant",
        ]
        return owners.contains(tokens[tokens.count - 2])
    }

    // MARK: Value shapes

    static func isEmail(_ value: String) -> Bool {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !value.contains(" ") else { return false }
        let domain = parts[1]
        guard let dot = domain.lastIndex(of: "."), dot != domain.startIndex else { return false }
        let tld = domain[domain.index(after: dot)...]
        return tld.count >= 2 && tld.allSatisfy(\.isLetter)
    }

    static func isPhone(_ value: String) -> Bool {
        var digits = 0
        for (index, character) in value.enumerated() {
            if character.isASCII && character.isNumber {
                digits += 1
            } else if character == "+" {
                guard index == 0 else { return false }
            } else if !" -().".contains(character) {
                return false
            }
        }
        // A separator or a leading + tells a phone number from a plain number column stored as text.
        let formatted = value.contains { " -()+".contains($0) } || (value.first == "0" && digits >= 10)
        return (8...15).contains(digits) && formatted && DateFormatDetector.parse(value) == nil
            && DateFormatDetector.parse(String(value.prefix(10))) == nil
    }

    static func isPersonName(_ value: String) -> Bool {
        let words = value.split(separator: " ")
        guard (2...4).contains(words.count) else { return false }
        // Capitalised words of letters (O'Neil, Mary-Jane), not acronyms (TV, NCCS) or numbers.
        return words.allSatisfy { word in
            guard let first = word.first, first.isUppercase, word.count >= 2, word.contains(where: \.isLowercase) else { return false }
            return word.allSatisfy { $0.isLetter || $0 == "'" || $0 == "-" || $0 == "." }
        }
    }

    /// A letter-and-digit code without spaces, such as `AB1234567` (UUIDs are keys, not personal).
    static func isCode(_ value: String) -> Bool {
        guard value.count >= 6, value.count <= 40, !value.contains(" "), !Self.isUUID(value) else { return false }
        return value.contains(where: \.isLetter) && value.contains(where: \.isNumber)
            && value.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "/" }
    }

    static func isUUID(_ value: String) -> Bool {
        let groups = value.split(separator: "-", omittingEmptySubsequences: false).map(\.count)
        return groups == [8, 4, 4, 4, 12] && value.allSatisfy { $0 == "-" || $0.isHexDigit }
    }

    static func containsEmail(_ value: String) -> Bool {
        value.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" || $0 == "<" || $0 == ">" || $0 == "(" || $0 == ")" })
            .contains { self.isEmail(String($0).trimmingCharacters(in: CharacterSet(charactersIn: ".:"))) }
    }

    /// Whether a stretch of digits and phone punctuation inside the text reads as a phone number.
    static func containsPhone(_ value: String) -> Bool {
        value.split(whereSeparator: { !($0.isASCII && $0.isNumber) && !" -()+".contains($0) })
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " -(")) }
            .contains { self.isPhone($0) }
    }
}
