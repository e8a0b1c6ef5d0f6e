/// Kinds of personal data the profiler flags in ``ColumnProfile/pii``.
enum PIIKind: String, Sendable, Hashable, CaseIterable {
    case email
    case phone
    case personName = "person_name"
    case address
    case birthDate = "birth_date"
    /// National ids, passport and licence numbers, device and network ids, free-text customer codes.
    case identifier
    /// Free text in which e-mail addresses or phone numbers appear.
    case contactInText = "contact_in_text"

    /// What masked values read as: says what was there without any of it.
    var mask: String { "[masked \(self.rawValue)]" }
}
