import AnalyticsCore
import Testing

@Suite("Narratives")
struct NarrativeTests {
    static let wording = MeasureWording(predicate: "watched Sports in the last 90 days", subject: "", unit: nil, context: "", reached: "")

    static func estimate(
        n: Int,
        effectiveN: Double,
        value: Double?,
        margin: Double? = nil,
        suppressed: Bool = false,
        caution: Bool = false
    ) -> BreakdownEstimate {
        var e = WeightedStatistics.estimate(
            .share,
            GroupAggregate(keys: [], n: n, sumW: 1, sumW2: 1, sumWX: 0, sumWHit: 0, nHit: 0, sumW2Hit: 0),
            minBase: 0,
            cautionBase: 0
        )
        e.effectiveN = effectiveN
        e.value = value
        e.interval = margin.map { ShareInterval(margin: $0, low: 0, high: 1) }
        e.suppressed = suppressed
        e.caution = caution
        return e
    }

    @Test("the DESIGN example, word for word")
    func designExample() {
        let builder = NarrativeBuilder(measure: .share, wording: Self.wording, minBase: 30, cautionBase: 100)
        let segment = NarrativeBuilder.segmentLabel(persona: "Female 25-34 NCCS A", groups: ["North"])
        let line = builder.narrative(segment: segment, Self.estimate(n: 1_204, effectiveN: 987.4, value: 0.3821, margin: 0.0303))
        #expect(line == "Among Female 25-34 NCCS A in North (n=1,204; effective n=987), 38.2% (±3.0 pts) watched Sports in the last 90 days.")
    }

    @Test("withheld values, small bases and zero weights say so")
    func flags() {
        let builder = NarrativeBuilder(measure: .share, wording: Self.wording, minBase: 30, cautionBase: 100)
        #expect(
            builder.narrative(segment: "respondents in East", Self.estimate(n: 29, effectiveN: 20, value: nil, suppressed: true, caution: true))
                == "Among respondents in East (n=29), the base is below the minimum of 30 respondents: value withheld."
        )
        let small = builder.narrative(segment: "all respondents", Self.estimate(n: 45, effectiveN: 40.6, value: 0.5, margin: 0.15, caution: true))
        #expect(
            small
                == "Among all respondents (n=45; effective n=41), 50.0% (±15.0 pts) watched Sports in the last 90 days. Small base (fewer than 100 respondents): read with caution."
        )
        #expect(builder.narrative(segment: "all respondents", Self.estimate(n: 45, effectiveN: 0, value: nil)).contains("weights sum to zero"))
    }

    @Test("means, totals and per-user means read with their unit and context")
    func values() {
        let wording = MeasureWording(
            predicate: "",
            subject: "Minutes viewed (sum per respondent)",
            unit: "minutes",
            context: " with genre News",
            reached: "with TV viewing"
        )
        let e = Self.estimate(n: 2_500, effectiveN: 1_999.5, value: 1_234.56)
        #expect(
            NarrativeBuilder(measure: .mean, wording: wording, minBase: 30, cautionBase: 100).narrative(segment: "all respondents", e)
                == "Among all respondents (n=2,500; effective n=2,000), the weighted mean of Minutes viewed (sum per respondent) with genre News is 1,234.6 minutes."
        )
        #expect(
            NarrativeBuilder(measure: .total, wording: wording, minBase: 30, cautionBase: 100).narrative(segment: "all respondents", e)
                .hasSuffix("the projected total of Minutes viewed (sum per respondent) with genre News is 1,234.6 minutes.")
        )
        #expect(
            NarrativeBuilder(measure: .perUser, wording: wording, minBase: 30, cautionBase: 100).narrative(segment: "Male 15-24", e)
                == "Among Male 15-24 with TV viewing with genre News (n=2,500; effective n=2,000), the weighted mean of Minutes viewed (sum per respondent) per user is 1,234.6 minutes."
        )
    }

    @Test("number formats: grouped counts, one-decimal percentages, magnitude-dependent decimals")
    func numbers() {
        #expect(NarrativeNumbers.count(0) == "0")
        #expect(NarrativeNumbers.count(999) == "999")
        #expect(NarrativeNumbers.count(1_204) == "1,204")
        #expect(NarrativeNumbers.count(-1_234_567) == "-1,234,567")
        #expect(NarrativeNumbers.percent(0.38249) == "38.2")
        #expect(NarrativeNumbers.percent(1) == "100.0")
        #expect(NarrativeNumbers.decimal(4.234) == "4.23")
        #expect(NarrativeNumbers.decimal(1_234.56) == "1,234.6")
        #expect(NarrativeNumbers.decimal(12_345_678.4) == "12,345,678")
        #expect(NarrativeNumbers.decimal(-0.001) == "0.00")
        #expect(NarrativeNumbers.decimal(-2_500.25) == "-2,500.2" || NarrativeNumbers.decimal(-2_500.25) == "-2,500.3")
    }

    @Test("segment labels")
    func segments() {
        #expect(NarrativeBuilder.segmentLabel(persona: nil, groups: []) == "all respondents")
        #expect(NarrativeBuilder.segmentLabel(persona: nil, groups: ["North", "Metro"]) == "respondents in North, Metro")
        #expect(NarrativeBuilder.segmentLabel(persona: "55+", groups: []) == "55+")
    }
}
