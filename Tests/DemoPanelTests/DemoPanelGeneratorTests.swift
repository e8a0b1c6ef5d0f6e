import AnalyticsCore
import DataPlane
import DemoPanel
import Testing

@Suite("Demo panel generator: determinism and structure")
struct DemoPanelGeneratorTests {
    @Test("the same spec yields identical rows in every table, walk after walk")
    func deterministic() throws {
        let one = try DemoPanelGenerator(spec: DemoFixtures.spec())
        let two = try DemoPanelGenerator(spec: DemoFixtures.spec())
        #expect(Array(one.respondents()) == Array(two.respondents()))
        #expect(Array(one.viewingEvents()) == Array(two.viewingEvents()))
        #expect(Array(one.purchases()) == Array(two.purchases()))
        // A sequence walked twice gives the same rows too (nothing is consumed).
        let events = one.viewingEvents()
        #expect(DemoFixtures.checksum(events, DemoFixtures.line) == DemoFixtures.checksum(events, DemoFixtures.line))
    }

    @Test("a different seed changes every table; a different end day moves the dates")
    func seedsAndDays() throws {
        let base = try DemoPanelGenerator(spec: DemoFixtures.spec(seed: 7))
        let other = try DemoPanelGenerator(spec: DemoFixtures.spec(seed: 8))
        #expect(DemoFixtures.checksum(base.respondents(), DemoFixtures.line) != DemoFixtures.checksum(other.respondents(), DemoFixtures.line))
        #expect(DemoFixtures.checksum(base.viewingEvents(), DemoFixtures.line) != DemoFixtures.checksum(other.viewingEvents(), DemoFixtures.line))
        #expect(DemoFixtures.checksum(base.purchases(), DemoFixtures.line) != DemoFixtures.checksum(other.purchases(), DemoFixtures.line))

        var later = DemoFixtures.spec(seed: 7)
        later.endDay = later.endDay.adding(days: 40)
        let shifted = try DemoPanelGenerator(spec: later)
        #expect(Array(shifted.respondents()) == Array(base.respondents()))
        let lastBase = try #require(base.viewingEvents().map(\.startTime).max())
        let lastShifted = try #require(shifted.viewingEvents().map(\.startTime).max())
        #expect(lastShifted > lastBase)
    }

    @Test("respondents are numbered 1…n and can be regenerated one at a time")
    func respondentIDs() throws {
        let generator = try DemoPanelGenerator(spec: DemoFixtures.spec())
        let respondents = Array(generator.respondents())
        #expect(respondents.count == generator.spec.respondentCount)
        #expect(respondents.map(\.respondentID) == Array(1...generator.spec.respondentCount))
        for id in [1, 57, respondents.count] {
            #expect(generator.respondent(id: id) == respondents[id - 1])
        }
    }

    @Test("event and purchase ids are consecutive, keys point at respondents, rows stay in the window")
    func eventStructure() throws {
        let generator = try DemoPanelGenerator(spec: DemoFixtures.spec())
        let spec = generator.spec
        let ids = 1...spec.respondentCount

        let events = Array(generator.viewingEvents())
        #expect(events.map(\.eventID) == (1...Int64(events.count)).map { $0 })
        var lastByRespondent: [Int: DemoTimestamp] = [:]
        var previousRespondent = 0
        for event in events {
            #expect(ids.contains(event.respondentID))
            #expect(event.respondentID >= previousRespondent)
            previousRespondent = event.respondentID
            if let last = lastByRespondent[event.respondentID] { #expect(last <= event.startTime) }
            lastByRespondent[event.respondentID] = event.startTime
            #expect(event.startTime.day >= spec.startDay && event.startTime.day <= spec.endDay)
            #expect((1...240).contains(event.minutes))
            let genre = try #require(DemoVocabulary.genres.firstIndex(of: event.genre))
            #expect(DemoVocabulary.channels[genre].contains(event.channel))
        }

        let purchases = Array(generator.purchases())
        #expect(purchases.map(\.purchaseID) == (1...Int64(purchases.count)).map { $0 })
        for purchase in purchases {
            #expect(ids.contains(purchase.respondentID))
            #expect(purchase.purchaseDate >= spec.startDay && purchase.purchaseDate <= spec.endDay)
            #expect(purchase.amountCents > 0 && purchase.amountCents < 10_000_000_000)
            let category = try #require(DemoVocabulary.purchaseCategories.firstIndex(of: purchase.category))
            #expect(DemoVocabulary.brands[category].contains(purchase.brand))
            #expect(Double(purchase.amountText) == purchase.amount)
        }
    }

    @Test("amount text is an exact two-decimal literal")
    func amountText() {
        let purchase = { (cents: Int64) in
            DemoPurchase(
                purchaseID: 1,
                respondentID: 1,
                category: "Dairy",
                brand: "Fresh Farm",
                amountCents: cents,
                purchaseDate: DemoFixtures.endDay
            )
        }
        #expect(purchase(123_405).amountText == "1234.05")
        #expect(purchase(1_000).amountText == "10.00")
        #expect(purchase(99).amountText == "0.99")
    }

    @Test("row counts grow linearly with scale: scale 1 is about 200,000 viewing events")
    func sizes() throws {
        let small = try DemoPanelGenerator(spec: DemoFixtures.spec(scale: 0.25))
        let events = small.viewingEvents().reduce(0) { count, _ in count + 1 }
        let purchases = small.purchases().reduce(0) { count, _ in count + 1 }
        let perRespondent = Double(events) / Double(small.spec.respondentCount)
        // ≥ 100 events per respondent keeps scale 50 (100,000 respondents) above 10^7 events.
        #expect(perRespondent > 100 && perRespondent < 115)
        #expect(Double(purchases) / Double(small.spec.respondentCount) > 15)
    }
}
