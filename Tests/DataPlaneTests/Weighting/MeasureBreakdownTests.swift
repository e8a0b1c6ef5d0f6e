import AnalyticsCore
import DataPlane
import Foundation
import TestSupport
import Testing

/// Shares by condition, means, totals and per-user means on both backends, each figure against
/// the test's own arithmetic over raw rows; merged categories re-aggregate in SQL.
@Suite("Weighted breakdown: measures")
struct MeasureBreakdownTests {
    @Test("share by a respondent condition re-aggregates merged NCCS classes into one row each", arguments: StoreBackend.allCases)
    func mergedShare(backend: StoreBackend) async throws {
        let rows = try await PanelRows.load(backend)
        let request = BreakdownRequest(
            datasetID: "panel",
            measure: BreakdownMeasure(kind: .share, conditions: [RespondentCondition(column: "household_size", op: .greaterOrEqual, values: [4])]),
            by: ["nccs"]
        )
        let result = try await ReachBreakdownTests.run(request, on: backend)
        let expected = Oracle.groups(rows.respondents, key: { Oracle.reportedNCCS($0.nccs) }, hit: { $0.householdSize >= 4 })

        // The panel really has the raw classes the merge folds away.
        #expect(rows.respondents.contains { $0.nccs == "A1" })
        #expect(rows.respondents.contains { $0.nccs == "D" })
        let keys = result.rows.map { Oracle.key($0) }
        #expect(keys == ["A", "B", "C/D/E"])
        #expect(result.rows.map(\.labels) == [["NCCS A"], ["NCCS B"], ["NCCS C/D/E"]])
        #expect(Set(keys).count == keys.count, "never two rows with the same label")
        let rawA = rows.respondents.filter { $0.nccs == "A" }.count
        let rawA1 = rows.respondents.filter { $0.nccs == "A1" }.count
        #expect(result.rows.first?.estimate.unweightedN == rawA + rawA1)
        for row in result.rows {
            let key = Oracle.key(row)
            ReachBreakdownTests.expectShare(row, try #require(expected[key]), minBase: 30, cautionBase: 100)
        }
    }

    @Test("a condition on a dimension reads merged values, given by label", arguments: StoreBackend.allCases)
    func dimensionCondition(backend: StoreBackend) async throws {
        let rows = try await PanelRows.load(backend)
        let request = BreakdownRequest(
            datasetID: "panel",
            measure: BreakdownMeasure(kind: .share, conditions: [RespondentCondition(column: "SEC", op: .isIn, values: ["NCCS A", "cde"])]),
            by: ["region"]
        )
        let result = try await ReachBreakdownTests.run(request, on: backend)
        let expected = Oracle.groups(rows.respondents, key: \.region, hit: { ["A", "C/D/E"].contains(Oracle.reportedNCCS($0.nccs)) })
        #expect(result.rows.count == 4)
        for row in result.rows {
            ReachBreakdownTests.expectShare(row, try #require(expected[Oracle.key(row)]), minBase: 30, cautionBase: 100)
        }
    }

    @Test("weighted mean of a respondent column by gender", arguments: StoreBackend.allCases)
    func respondentMean(backend: StoreBackend) async throws {
        let rows = try await PanelRows.load(backend)
        let request = BreakdownRequest(datasetID: "panel", measure: BreakdownMeasure(kind: .mean, column: "household_size"), by: ["sex"])
        let result = try await ReachBreakdownTests.run(request, on: backend)
        let expected = Oracle.groups(rows.respondents, key: \.gender, x: { Double($0.householdSize) })
        #expect(result.by == ["gender"])
        #expect(result.rows.map { Oracle.key($0) } == ["Female", "Male"])
        for row in result.rows {
            let sums = try #require(expected[Oracle.key(row)])
            Self.expectValue(row, sums, value: sums.mean, base: .segment, kind: .mean)
        }
        let all = Oracle.groups(rows.respondents, key: { _ in "" }, x: { Double($0.householdSize) })[""]
        Self.expectValue(try #require(result.overall), try #require(all), value: all?.mean ?? .nan, base: .segment, kind: .mean)
    }

    @Test("mean of summed event minutes, 0 for respondents without events, by age band", arguments: StoreBackend.allCases)
    func eventMean(backend: StoreBackend) async throws {
        let rows = try await PanelRows.load(backend)
        let request = BreakdownRequest(
            datasetID: "panel",
            measure: BreakdownMeasure(
                kind: .mean,
                events: EventSelection(
                    table: "tv_viewing",
                    aggregation: .sum,
                    column: "minutes",
                    filters: ["genre": ["News"]],
                    window: DateWindow(lastDays: 30)
                )
            ),
            by: ["age_band"]
        )
        let result = try await ReachBreakdownTests.run(request, on: backend)
        let latest = try #require(rows.viewing.map(\.day).max())
        let first = Oracle.day(latest, adding: -29)
        var minutes: [Int: Double] = [:]
        for v in rows.viewing where v.genre == "News" && v.day >= first && v.day <= latest {
            minutes[v.respondentID, default: 0] += Double(v.minutes)
        }
        let expected = Oracle.groups(rows.respondents, key: \.ageBand, x: { minutes[$0.id] ?? 0 }, hit: { minutes[$0.id] != nil })
        #expect(expected.values.contains { $0.nHit < $0.n }, "some respondents have no News viewing and count as 0")
        #expect(result.rows.map { Oracle.key($0) } == ["15-24", "25-34", "35-44", "45-54", "55+"])
        for row in result.rows {
            let sums = try #require(expected[Oracle.key(row)])
            Self.expectValue(row, sums, value: sums.mean, base: .segment, kind: .mean)
        }
    }

    @Test("projected total of purchase amounts in an explicit window", arguments: StoreBackend.allCases)
    func total(backend: StoreBackend) async throws {
        let rows = try await PanelRows.load(backend)
        let window = DateWindow(from: BreakdownDay("2025-05-01"), to: BreakdownDay("2025-05-31"))
        let request = BreakdownRequest(
            datasetID: "panel",
            measure: BreakdownMeasure(
                kind: .total,
                events: EventSelection(table: "purchases", aggregation: .sum, column: "amount", filters: ["category": ["Snacks"]], window: window)
            ),
            persona: "south_affluent"
        )
        let result = try await ReachBreakdownTests.run(request, on: backend)
        var spent: [Int: Double] = [:]
        for p in rows.purchases where p.category == "Snacks" && p.day >= "2025-05-01" && p.day <= "2025-05-31" {
            spent[p.respondentID, default: 0] += p.amount
        }
        let sums = try #require(
            Oracle.groups(
                rows.respondents,
                include: { $0.region == "South" && ["A", "B"].contains(Oracle.reportedNCCS($0.nccs)) },
                key: { _ in "" },
                x: { spent[$0.id] ?? 0 }
            )[""]
        )
        #expect(result.overall == nil)
        #expect(result.rows.count == 1)
        #expect(result.persona?.label == "South NCCS A/B")
        let row = try #require(result.rows.first)
        Self.expectValue(row, sums, value: sums.sumWX, base: .segment, kind: .total)
        #expect(row.narrative.contains("INR"))
        #expect(row.narrative.contains("between 2025-05-01 and 2025-05-31"))
    }

    @Test("per-user mean counts only reached respondents", arguments: StoreBackend.allCases)
    func perUser(backend: StoreBackend) async throws {
        let rows = try await PanelRows.load(backend)
        let request = BreakdownRequest(
            datasetID: "panel",
            measure: BreakdownMeasure(
                kind: .perUser,
                events: EventSelection(table: "tv_viewing", aggregation: .count, filters: ["genre": ["Movies"]], window: DateWindow(lastDays: 60))
            ),
            by: ["city_tier"]
        )
        let result = try await ReachBreakdownTests.run(request, on: backend)
        let latest = try #require(rows.viewing.map(\.day).max())
        let first = Oracle.day(latest, adding: -59)
        var sessions: [Int: Double] = [:]
        for v in rows.viewing where v.genre == "Movies" && v.day >= first && v.day <= latest { sessions[v.respondentID, default: 0] += 1 }
        let expected = Oracle.groups(rows.respondents, key: \.cityTier, x: { sessions[$0.id] ?? 0 }, hit: { sessions[$0.id] != nil })
        #expect(result.rows.map { Oracle.key($0) } == ["Metro", "Tier 1", "Tier 2", "Tier 3", "Rural"])
        for row in result.rows {
            let sums = try #require(expected[Oracle.key(row)])
            #expect(sums.nHit < sums.n)
            Self.expectValue(row, sums, value: sums.perUser, base: .reached, kind: .perUser)
        }
    }

    @Test("per-respondent average of an event measure, for a persona, by region", arguments: StoreBackend.allCases)
    func eventAverage(backend: StoreBackend) async throws {
        let rows = try await PanelRows.load(backend)
        let request = BreakdownRequest(
            datasetID: "panel",
            measure: BreakdownMeasure(
                kind: .mean,
                events: EventSelection(table: "tv_viewing", aggregation: .avg, column: "minutes", filters: ["genre": ["Drama", "Reality"]])
            ),
            by: ["region"],
            persona: "young_men"
        )
        let result = try await ReachBreakdownTests.run(request, on: backend)
        var totals: [Int: (Double, Double)] = [:]
        for v in rows.viewing where ["Drama", "Reality"].contains(v.genre) {
            let (sum, count) = totals[v.respondentID] ?? (0, 0)
            totals[v.respondentID] = (sum + Double(v.minutes), count + 1)
        }
        let expected = Oracle.groups(
            rows.respondents,
            include: { $0.gender == "Male" && $0.ageBand == "15-24" },
            key: \.region,
            x: { totals[$0.id].map { $0.0 / $0.1 } ?? 0 }
        )
        #expect(result.window == nil)
        for row in result.rows {
            let sums = try #require(expected[Oracle.key(row)])
            Self.expectValue(row, sums, value: sums.mean, base: .segment, kind: .mean)
        }
        #expect(result.rows.count == expected.count)
    }

    enum Base { case segment, reached }

    static func expectValue(
        _ row: BreakdownRow,
        _ sums: Oracle.Sums,
        value: Double,
        base: Base,
        kind: BreakdownMeasure.Kind,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let e = row.estimate
        let n = base == .segment ? sums.n : sums.nHit
        #expect(e.unweightedN == n, sourceLocation: sourceLocation)
        #expect(Oracle.close(e.weightedBase, base == .segment ? sums.sumW : sums.sumWHit), sourceLocation: sourceLocation)
        #expect(Oracle.close(e.effectiveN, base == .segment ? sums.effectiveN : sums.effectiveNReached), sourceLocation: sourceLocation)
        #expect(e.interval == nil, sourceLocation: sourceLocation)
        #expect(e.suppressed == (n < 30) && e.caution == (n < 100), sourceLocation: sourceLocation)
        #expect(Oracle.close(e.value, n < 30 ? nil : value), "\(String(describing: e.value)) vs \(value)", sourceLocation: sourceLocation)
        NarrativeCheck.check(row, measure: kind, sourceLocation: sourceLocation)
    }
}
