import DataPlane
import DemoPanel
import Testing

@Suite("Demo panel generator: realistic distributions")
struct DemoPanelDistributionTests {
    static let generator: DemoPanelGenerator? = try? DemoPanelGenerator(spec: DemoFixtures.spec(scale: 1))

    @Test("weights are positive, average about 1, and skew right with a few large weights")
    func weights() throws {
        let generator = try #require(Self.generator)
        let weights = generator.respondents().map(\.weight).sorted()
        let n = Double(weights.count)
        let mean = weights.reduce(0, +) / n
        let median = (weights[weights.count / 2 - 1] + weights[weights.count / 2]) / 2
        let maximum = try #require(weights.last)
        #expect(weights.allSatisfy { $0 > 0 })
        #expect(mean > 0.9 && mean < 1.1)
        #expect(mean > median)
        #expect(maximum / mean >= 4 && maximum / mean <= 8.5)
        let large = weights.filter { $0 >= 5 }.count
        #expect(large >= 1 && Double(large) < n * 0.01)
        // Kish design effect of a realistic panel: between 1.1 and 2.
        let sumSquares = weights.map { $0 * $0 }.reduce(0, +)
        let total = weights.reduce(0, +)
        let designEffect = n * sumSquares / (total * total)
        #expect(designEffect > 1.1 && designEffect < 2)
    }

    @Test("every category of every dimension occurs, and none uniformly")
    func categories() throws {
        let generator = try #require(Self.generator)
        let respondents = Array(generator.respondents())
        let dimensions: [(KeyPath<DemoRespondent, String>, [String])] = [
            (\.gender, DemoVocabulary.genders), (\.ageBand, DemoVocabulary.ageBands), (\.nccs, DemoVocabulary.nccsClasses),
            (\.region, DemoVocabulary.regions), (\.cityTier, DemoVocabulary.cityTiers),
        ]
        for (path, values) in dimensions {
            let counts = Dictionary(grouping: respondents, by: { $0[keyPath: path] }).mapValues(\.count)
            #expect(Set(counts.keys) == Set(values))
        }
        let nccs = Dictionary(grouping: respondents, by: \.nccs).mapValues(\.count)
        let a1 = try #require(nccs["A1"])
        let a = try #require(nccs["A"])
        // A1 exists but is small: merging it into A matters for bases.
        #expect(a1 >= 10 && Double(a1) < Double(respondents.count) * 0.06)
        #expect(a1 * 3 < a)
        #expect(Set(respondents.map(\.householdSize)).count > 5)
    }

    @Test("class depends on town: metros hold far more A1/A than villages")
    func jointDistribution() throws {
        let generator = try #require(Self.generator)
        let respondents = Array(generator.respondents())
        func affluentShare(_ tier: String) -> Double {
            let inTier = respondents.filter { $0.cityTier == tier }
            return Double(inTier.filter { $0.nccs == "A1" || $0.nccs == "A" }.count) / Double(inTier.count)
        }
        #expect(affluentShare("Metro") > 2 * affluentShare("Rural"))
        // Young men are under-covered, so they carry larger weights on average.
        let youngMen = respondents.filter { $0.gender == "Male" && $0.ageBand == "15-24" }.map(\.weight)
        let others = respondents.filter { !($0.gender == "Male" && $0.ageBand == "15-24") }.map(\.weight)
        let youngMenMean: Double = youngMen.reduce(0, +) / Double(youngMen.count)
        let othersMean: Double = others.reduce(0, +) / Double(others.count)
        #expect(youngMenMean > 1.2 * othersMean)
    }

    @Test("viewing: reach below 100%, a year and more of history, evening peak, tastes differ by gender and age")
    func viewing() throws {
        let generator = try #require(Self.generator)
        let respondents = Dictionary(uniqueKeysWithValues: generator.respondents().map { ($0.respondentID, $0) })
        var viewers = Set<Int>()
        var minutes: [String: [String: Int]] = [:]
        var byAge: [String: [String: Int]] = [:]
        var hours = [Int](repeating: 0, count: 24)
        var first = DemoTimestamp(minutesSinceEpoch: .max)
        var last = DemoTimestamp(minutesSinceEpoch: .min)
        for event in generator.viewingEvents() {
            let person = try #require(respondents[event.respondentID])
            viewers.insert(event.respondentID)
            minutes[person.gender, default: [:]][event.genre, default: 0] += event.minutes
            byAge[person.ageBand, default: [:]][event.genre, default: 0] += event.minutes
            hours[event.startTime.minuteOfDay / 60] += 1
            first = min(first, event.startTime)
            last = max(last, event.startTime)
        }
        #expect(viewers.count < respondents.count)
        #expect(Double(viewers.count) > 0.8 * Double(respondents.count))
        #expect(last.day.daysSinceEpoch - first.day.daysSinceEpoch >= 365)
        #expect(Set(minutes.values.flatMap(\.keys)) == Set(DemoVocabulary.genres))

        func share(_ table: [String: [String: Int]], _ group: String, _ genre: String) -> Double {
            let row = table[group] ?? [:]
            return Double(row[genre] ?? 0) / Double(max(1, row.values.reduce(0, +)))
        }
        #expect(share(minutes, "Male", "Sports") > 2 * share(minutes, "Female", "Sports"))
        #expect(share(minutes, "Female", "Drama") > 2 * share(minutes, "Male", "Drama"))
        #expect(share(byAge, "55+", "Devotional") > 3 * share(byAge, "15-24", "Devotional"))
        #expect(share(byAge, "15-24", "Music") > 2 * share(byAge, "55+", "Music"))
        #expect(hours[20] + hours[21] > 10 * (hours[2] + hours[3]))
    }

    @Test("purchases: some non-buyers, the affluent buy premium brands more often")
    func purchases() throws {
        let generator = try #require(Self.generator)
        let respondents = Dictionary(uniqueKeysWithValues: generator.respondents().map { ($0.respondentID, $0) })
        var buyers = Set<Int>()
        var premium: [Bool: (premium: Int, all: Int)] = [:]
        var categories = Set<String>()
        for purchase in generator.purchases() {
            let person = try #require(respondents[purchase.respondentID])
            buyers.insert(purchase.respondentID)
            categories.insert(purchase.category)
            let category = try #require(DemoVocabulary.purchaseCategories.firstIndex(of: purchase.category))
            let affluent = person.nccs == "A1" || person.nccs == "A"
            var tally = premium[affluent] ?? (0, 0)
            tally.all += 1
            if purchase.brand == DemoVocabulary.brands[category][0] { tally.premium += 1 }
            premium[affluent] = tally
        }
        #expect(buyers.count < respondents.count)
        #expect(categories == Set(DemoVocabulary.purchaseCategories))
        let rich = try #require(premium[true])
        let rest = try #require(premium[false])
        #expect(Double(rich.premium) / Double(rich.all) > 1.5 * Double(rest.premium) / Double(rest.all))
    }
}
