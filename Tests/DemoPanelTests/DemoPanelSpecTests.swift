import AnalyticsCore
import DataPlane
import DemoPanel
import Testing

@Suite("Demo panel spec")
struct DemoPanelSpecTests {
    @Test("scale sets the respondent count, fractional scales included")
    func respondentCount() throws {
        #expect(DemoFixtures.spec(scale: 1).respondentCount == DemoPanelSpec.respondentsPerScale)
        #expect(DemoFixtures.spec(scale: 0.1).respondentCount == DemoPanelSpec.respondentsPerScale / 10)
        #expect(DemoFixtures.spec(scale: 2.5).respondentCount == DemoPanelSpec.respondentsPerScale * 5 / 2)
        try DemoFixtures.spec(scale: 0.0005).validate()
        #expect(DemoFixtures.spec(scale: 0.0005).respondentCount == 1)
    }

    @Test(
        "out-of-range scales and months are INVALID_REQUEST",
        arguments: [
            DemoFixtures.spec(scale: 0), DemoFixtures.spec(scale: -1), DemoFixtures.spec(scale: .nan),
            DemoFixtures.spec(scale: .infinity), DemoFixtures.spec(scale: DemoPanelSpec.maximumScale + 1),
            DemoFixtures.spec(scale: 0.0001), DemoFixtures.spec(months: 0), DemoFixtures.spec(months: 121),
        ]
    )
    func invalid(spec: DemoPanelSpec) {
        let error = DemoFixtures.analyticsError { try spec.validate() }
        #expect(error?.code == .invalidRequest)
        #expect(error?.hint != nil)
        #expect(DemoFixtures.analyticsError { _ = try DemoPanelGenerator(spec: spec) }?.code == .invalidRequest)
    }

    @Test("the window is exactly the requested months, ending on the end day")
    func window() throws {
        let spec = DemoFixtures.spec(months: 15)
        // 15 months before 2025-06-30 is 2024-03-30; the window starts the day after.
        #expect(spec.startDay.text == "2024-03-31")
        #expect(spec.dayCount == spec.endDay.daysSinceEpoch - spec.startDay.daysSinceEpoch + 1)
        let year = DemoFixtures.spec(months: 12)
        #expect(year.startDay == (try DemoDay(year: 2024, month: 7, day: 1)))
    }

    @Test("the default spec ends today so relative windows find data")
    func defaultEndsToday() {
        #expect(DemoPanelSpec().endDay == DemoDay.today())
        #expect(DemoPanelSpec().scale == 1)
    }
}
