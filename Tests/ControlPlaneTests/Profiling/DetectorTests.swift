import AnalyticsCore
import Testing

@testable import ControlPlane

/// The in-process detectors and estimators, on hand-made values.
@Suite("Profiler detectors")
struct DetectorTests {
    @Test("date layouts are recognised and impossible dates refused")
    func dateLayouts() {
        let cases: [(String, DateFormat?, String?)] = [
            ("2024-03-05", .isoDate, "2024-03-05"),
            ("2024-03-05 06:07:08", .isoDateTime, "2024-03-05 06:07:08"),
            ("2024-03-05T06:07:08Z", .isoTimestamp, "2024-03-05 06:07:08"),
            ("2024-03-05T06:07:08.123+05:30", .isoTimestamp, "2024-03-05 06:07:08"),
            ("2024/03/05", .slashYearFirst, "2024-03-05"),
            ("25/03/2024", .dayMonthSlash, "2024-03-25"),
            ("03/25/2024", .monthDaySlash, "2024-03-25"),
            ("05-03-2024", .dayMonthDash, "2024-03-05"),
            ("05.03.2024", .dayMonthDot, "2024-03-05"),
            ("2024-02-30", nil, nil),
            ("2023-02-29", nil, nil),
            ("13/13/2024", nil, nil),
            ("2024-03-05 25:00", nil, nil),
            ("20240305", nil, nil),
            ("hello", nil, nil),
            ("12345678901", nil, nil),
        ]
        for (text, format, normalised) in cases {
            switch DateFormatDetector.parse(text) {
            case .definite(let detected, let date):
                #expect(detected == format, "\(text)")
                #expect(date.text == normalised, "\(text)")
            case .ambiguousSlash:
                Issue.record("\(text) should not be ambiguous")
            case nil:
                #expect(format == nil, "\(text) should parse")
            }
        }
        if case .definite(.compact, let date)? = DateFormatDetector.parse("20240305", allowCompact: true) {
            #expect(date.text == "2024-03-05")
        } else {
            Issue.record("compact dates parse when the name allows")
        }
    }

    @Test("a column's formats, shares, span and ambiguous slash dates")
    func columnDetection() throws {
        let detector = DateFormatDetector()
        let mixed = ["2024-01-02", "2024-01-03", "2024-02-10", "15/03/2024", "2024-01-01"]
        let result = try #require(detector.detect(mixed, columnName: "visit"))
        #expect(result.shares == [.isoDate: 0.8, .dayMonthSlash: 0.2])
        #expect(result.dominant == .isoDate)
        #expect(result.first.text == "2024-01-01" && result.last.text == "2024-03-15")

        // 04/05 is ambiguous; the unambiguous 05/25 decides month first.
        let american = try #require(detector.detect(["04/05/2024", "05/25/2024", "06/30/2024", "01/02/2024", "12/31/2024"], columnName: "d"))
        #expect(american.shares == [.monthDaySlash: 1])
        #expect(american.first.text == "2024-01-02")
        let ambiguousOnly = try #require(detector.detect(["04/05/2024", "05/06/2024", "01/02/2024", "02/03/2024", "03/04/2024"], columnName: "d"))
        #expect(ambiguousOnly.dominant == .dayMonthSlash, "day first when nothing decides")
        #expect(ambiguousOnly.last.text == "2024-06-05")

        #expect(detector.detect(["a", "b", "2024-01-01", "c", "d"], columnName: "x") == nil, "mostly not dates")
        #expect(detector.detect(["2024-01-01", "2024-01-02"], columnName: "x") == nil, "too few values")
        #expect(detector.detect(["20240101", "20240102", "20240103", "20240104", "20240105"], columnName: "amount") == nil)
        #expect(detector.detect(["20240101", "20240102", "20240103", "20240104", "20240105"], columnName: "visit_date")?.dominant == .compact)
    }

    @Test("personal-data value shapes")
    func piiShapes() {
        #expect(PIIDetector.isEmail("asha.rao@example.co.in"))
        #expect(!PIIDetector.isEmail("asha@localhost") && !PIIDetector.isEmail("a b@example.com") && !PIIDetector.isEmail("@example.com"))
        #expect(PIIDetector.isPhone("+91 98765 43210") && PIIDetector.isPhone("(022) 2345-6789") && PIIDetector.isPhone("09876543210"))
        #expect(!PIIDetector.isPhone("9876543210"), "a bare number is not taken for a phone")
        #expect(!PIIDetector.isPhone("2024-03-05") && !PIIDetector.isPhone("2024-03-05 10:20") && !PIIDetector.isPhone("+91 98"))
        #expect(PIIDetector.containsPhone("call +91 98765 43210 today") && !PIIDetector.containsPhone("seen 2024-03-05 10:20"))
        #expect(PIIDetector.containsEmail("mail me (asha@example.org), thanks") && !PIIDetector.containsEmail("no mail here"))
        #expect(PIIDetector.isPersonName("Asha Rao") && PIIDetector.isPersonName("Mary-Jane O'Neil"))
        #expect(!PIIDetector.isPersonName("Asha") && !PIIDetector.isPersonName("Tier 1") && !PIIDetector.isPersonName("NCCS A"))
        #expect(PIIDetector.isCode("AB1234567") && !PIIDetector.isCode("123e4567-e89b-12d3-a456-426614174000") && !PIIDetector.isCode("Tier 1"))
    }

    @Test("personal-data names, and shapes that need distinct values")
    func piiNames() {
        let expected: [String: PIIKind?] = [
            "email": .email, "ContactEmail": .email, "mobile_no": .phone, "phone": .phone, "first_name": .personName,
            "customer_name": .personName, "dob": .birthDate, "date_of_birth": .birthDate, "home_address": .address,
            "pincode": .address, "passport_no": .identifier, "aadhaar": .identifier, "ip_address": .identifier,
            "brand_name": nil, "gender": nil, "region": nil, "weight": nil, "respondent_id": nil,
        ]
        for (name, kind) in expected {
            #expect(PIIDetector.byName(name) == kind, "\(name)")
        }
        let detector = PIIDetector()
        let channels = PIIDetector.Evidence(
            values: Array(repeating: ["Goal TV", "Cine Gold", "Kahani TV"], count: 10).flatMap { $0 },
            distinctRatio: 0.001
        )
        #expect(detector.detect(columnName: "channel", kind: .text, isKey: false, holdsDates: false, evidence: channels) == nil)
        let people = PIIDetector.Evidence(values: ["Asha Rao", "Ravi Iyer", "Meera Das", "Arjun Khan", "Kavya Patel"], distinctRatio: 1)
        #expect(detector.detect(columnName: "name", kind: .text, isKey: false, holdsDates: false, evidence: people) == .personName)
        #expect(
            detector.detect(columnName: "name", kind: .text, isKey: false, holdsDates: false, evidence: channels) == nil,
            "`name` alone needs name-shaped values"
        )
        #expect(
            detector.detect(columnName: "dob", kind: .date, isKey: false, holdsDates: true, evidence: .init(values: [], distinctRatio: nil))
                == .birthDate
        )
    }

    @Test("estimators: Duj1 distinct counts and interpolated quantiles")
    func estimators() {
        #expect(Estimators.distinct(sampled: 100, distinct: 40, singletons: 0, population: 100) == 40, "a full read is exact")
        #expect(Estimators.distinct(sampled: 1_000, distinct: 1_000, singletons: 1_000, population: 100_000) == 100_000, "all singletons: unique")
        #expect(Estimators.distinct(sampled: 1_000, distinct: 8, singletons: 0, population: 100_000) == 8, "no singletons: all values seen")
        let middle = Estimators.distinct(sampled: 1_000, distinct: 500, singletons: 300, population: 100_000)
        #expect(middle > 500 && middle < 100_000)

        let values = (1...101).map { Double($0 * $0) }
        let every = values.enumerated().map { (rank: Double($0.offset + 1), value: $0.element) }
        let thinned = every.enumerated().filter { $0.offset % 10 == 0 || $0.offset == 100 }.map(\.element)
        for q in [0.0, 0.05, 0.5, 0.95, 1.0] {
            let position = q * 100
            let low = Int(position)
            let exact = values[low] + (values[min(100, low + 1)] - values[low]) * (position - Double(low))
            #expect(abs((Estimators.quantile(q, points: every, count: 101) ?? -1) - exact) < 1e-9)
            #expect(abs((Estimators.quantile(q, points: thinned, count: 101) ?? -1) - exact) <= 100, "thinned points interpolate closely")
        }
        #expect(Estimators.quantile(0.5, points: [], count: 0) == nil)
    }

    @Test("names split into words; labels and value orders read naturally")
    func names() {
        #expect(NameTokens.split("RespondentID") == ["respondent", "id"])
        #expect(NameTokens.split("signup date") == ["signup", "date"])
        #expect(NameTokens.split("age_band2") == ["age", "band2"])
        #expect(NameTokens.snake("Signup Date") == "signup_date")
        #expect(WeightingSuggester.humanized("nccs") == "NCCS")
        #expect(WeightingSuggester.humanized("city_tier") == "City tier")
        #expect(["55+", "Male", "15-24", "A", "25-34"].sorted(by: WeightingSuggester.naturalOrder) == ["15-24", "25-34", "55+", "A", "Male"])
        #expect(RoleClassifier.isRespondentKeyName("respondent_id") && RoleClassifier.isRespondentKeyName("PanelistID"))
        #expect(!RoleClassifier.isRespondentKeyName("event_id") && !RoleClassifier.isRespondentKeyName("respondent_weight"))
    }
}
