import AnalyticsCore
import ControlPlane
import Foundation
import TestSupport
import Testing

/// Personal data is flagged by name and by value shape, and masked in everything the profiler emits.
@Suite("Profiler personal data")
struct PersonalDataTests {
    static let firstNames = ["Asha", "Ravi", "Meera", "Arjun", "Kavya", "Rohan", "Sneha", "Vikram", "Anita", "Farhan", "Leela"]
    static let lastNames = ["Rao", "Sharma", "Iyer", "Khan", "Das", "Menon", "Patel"]
    static let cities = ["New Delhi", "Navi Mumbai", "Pune", "Chennai"]

    struct Row {
        var id: Int
        var email: String
        var phone: String
        var customerName: String
        var name: String
        var notes: String
        var passport: String
        var loyaltyCode: String
        var city: String
        var dob: String
        var visit: String

        init(_ i: Int) {
            self.id = i
            let first = PersonalDataTests.firstNames[i % PersonalDataTests.firstNames.count]
            let last = PersonalDataTests.lastNames[(i / 3) % PersonalDataTests.lastNames.count]
            self.email = "\(first.lowercased()).\(last.lowercased())\(i)@mailbox.example.in"
            self.phone = "+91 98765 4\(String(format: "%04d", i))"
            self.customerName = "\(first) \(last)"
            self.name = "\(PersonalDataTests.firstNames[(i * 7) % PersonalDataTests.firstNames.count]) \(last)"
            self.notes = i % 4 == 0 ? "call back on 98\(String(format: "%03d", i))5 43210 after six" : "prefers evening visits"
            self.passport = "K\(4_000_000 + i * 37)"
            self.loyaltyCode = "LC\(i * 13)X\(i % 9)Q"
            self.city = PersonalDataTests.cities[i % PersonalDataTests.cities.count]
            self.dob = "19\(70 + i % 25)-0\(1 + i % 9)-1\(i % 10)"
            self.visit = "2024-0\(1 + i % 9)-2\(i % 10)"
        }

        /// Values of the columns that must be masked.
        var personal: [String] { [self.email, self.phone, self.customerName, self.name, self.passport, self.loyaltyCode, self.dob] }
    }

    static let rows = (1...60).map(Row.init)

    static var setup: [String] {
        [
            """
            CREATE TABLE contacts (
                id INTEGER PRIMARY KEY, email TEXT, phone TEXT, customer_name TEXT, name TEXT, notes TEXT,
                passport_no TEXT, loyalty_code TEXT, city TEXT, dob DATE, visit_day TEXT
            )
            """
        ]
            + self.rows.map { r in
                "INSERT INTO contacts VALUES (\(r.id), '\(r.email)', '\(r.phone)', '\(r.customerName)', '\(r.name)', '\(r.notes)', "
                    + "'\(r.passport)', '\(r.loyaltyCode)', '\(r.city)', '\(r.dob)', '\(r.visit)')"
            }
    }

    @Test("personal data is flagged and no raw value appears anywhere in the serialised profile", arguments: StoreBackend.allCases)
    func flaggedAndMasked(_ backend: StoreBackend) async throws {
        try await ProfilingFixtures.withDataset(backend, setup: Self.setup) { dataset in
            let profile = try await ProfilingFixtures.profile(dataset)
            let contacts = try #require(profile.table(named: "contacts"))
            let flags = Dictionary(uniqueKeysWithValues: contacts.columns.map { ($0.name, $0.pii ?? "-") })
            #expect(
                flags == [
                    "id": "-", "email": "email", "phone": "phone", "customer_name": "person_name", "name": "person_name",
                    "notes": "contact_in_text", "passport_no": "identifier", "loyalty_code": "identifier", "city": "-",
                    "dob": "birth_date", "visit_day": "-",
                ]
            )

            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let text = String(decoding: try encoder.encode(profile), as: UTF8.self)
            for row in Self.rows {
                for value in row.personal {
                    #expect(!text.contains(value), "raw personal value \(value) leaked")
                }
            }
            #expect(!text.contains("43210"), "phone numbers inside free text are masked too")
            #expect(text.contains("Navi Mumbai"), "values of ordinary columns are kept")
            #expect(contacts.sampleRows.count == 5)
            #expect(contacts.sampleRows.allSatisfy { $0["email"] == "[masked email]" && $0["city"]?.stringValue != nil })
            let email = try #require(contacts.column(named: "email"))
            #expect(email.min == "[masked email]" && email.max == "[masked email]")
            #expect(!email.topValues.isEmpty && email.topValues.allSatisfy { $0.value == "[masked email]" })
            #expect(email.distinctEstimate == 60, "statistics other than values survive masking")
            #expect(contacts.column(named: "dob")?.dateCoverage == nil, "birth dates do not leak through coverage")
            #expect(contacts.column(named: "visit_day")?.dateCoverage?.first == Self.rows.map(\.visit).min())
            #expect(contacts.column(named: "visit_day")?.dateCoverage?.last == Self.rows.map(\.visit).max())
        }
    }
}
