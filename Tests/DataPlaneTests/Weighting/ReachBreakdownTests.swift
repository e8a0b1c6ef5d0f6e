import AnalyticsCore
import DataPlane
import DemoPanel
import Foundation
import TestSupport
import Testing

/// The issue's done-when scenario on both backends: "reach of sports among Female 25-34 NCCS A,
/// by region, last 90 days", every figure against the test's own arithmetic over raw rows.
@Suite("Weighted breakdown: reach")
struct ReachBreakdownTests {
    static let request = BreakdownRequest(
        datasetID: "panel",
        measure: BreakdownMeasure(
            kind: .share,
            events: EventSelection(table: "tv_viewing", filters: ["genre": ["Sports"]], window: DateWindow(lastDays: 90))
        ),
        by: ["region"],
        persona: "Female 25-34 NCCS A"
    )

    @Test("sports reach among Female 25-34 NCCS A by region, last 90 days", arguments: StoreBackend.allCases)
    func sportsReach(backend: StoreBackend) async throws {
        let rows = try await PanelRows.load(backend)
        let result = try await Self.run(Self.request, on: backend)

        let latest = try #require(rows.viewing.map(\.day).max())
        let first = Oracle.day(latest, adding: -89)
        let watchers = Set(rows.viewing.filter { $0.genre == "Sports" && $0.day >= first && $0.day <= latest }.map(\.respondentID))
        let expected = Oracle.groups(
            rows.respondents,
            include: { $0.gender == "Female" && $0.ageBand == "25-34" && Oracle.reportedNCCS($0.nccs) == "A" },
            key: \.region,
            hit: { watchers.contains($0.id) }
        )
        #expect(result.window?.from?.description == first)
        #expect(result.window?.to?.description == latest)
        #expect(result.persona?.filters == ["gender": ["Female"], "age_band": ["25-34"], "nccs": ["A"]])
        #expect(result.rows.map { Oracle.key($0) } == ["North", "South", "East", "West"].filter { expected[$0] != nil })
        #expect(result.rows.count == expected.count)
        #expect(result.rows.contains { !$0.estimate.suppressed }, "the panel is large enough for reported values")
        for row in result.rows {
            let region = Oracle.key(row)
            let sums = try #require(expected[region])
            Self.expectShare(row, sums, minBase: 30, cautionBase: 100)
            #expect(row.segment == "Female 25-34 NCCS A in \(region)")
        }
        var overall = Oracle.Sums()
        for sums in expected.values {
            overall.n += sums.n
            overall.sumW += sums.sumW
            overall.sumW2 += sums.sumW2
            overall.sumWHit += sums.sumWHit
            overall.nHit += sums.nHit
            overall.sumW2Hit += sums.sumW2Hit
        }
        Self.expectShare(try #require(result.overall), overall, minBase: 30, cautionBase: 100)
    }

    /// Holds a share row to the oracle's sums: bases exactly, figures to rounding.
    static func expectShare(
        _ row: BreakdownRow,
        _ sums: Oracle.Sums,
        minBase: Int,
        cautionBase: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let e = row.estimate
        #expect(e.unweightedN == sums.n, sourceLocation: sourceLocation)
        #expect(Oracle.close(e.weightedBase, sums.sumW), sourceLocation: sourceLocation)
        #expect(Oracle.close(e.effectiveN, sums.effectiveN), sourceLocation: sourceLocation)
        #expect(e.suppressed == (sums.n < minBase), sourceLocation: sourceLocation)
        #expect(e.caution == (sums.n < cautionBase), sourceLocation: sourceLocation)
        if sums.n < minBase {
            #expect(e.value == nil && e.interval == nil && e.weightedCount == nil, sourceLocation: sourceLocation)
        } else {
            #expect(Oracle.close(e.value, sums.share), "share \(String(describing: e.value)) vs \(sums.share)", sourceLocation: sourceLocation)
            #expect(Oracle.close(e.weightedCount, sums.sumWHit), sourceLocation: sourceLocation)
            #expect(Oracle.close(e.interval?.margin, sums.margin), sourceLocation: sourceLocation)
            #expect(Oracle.close(e.interval?.low, max(0, sums.share - sums.margin)), sourceLocation: sourceLocation)
            #expect(Oracle.close(e.interval?.high, min(1, sums.share + sums.margin)), sourceLocation: sourceLocation)
        }
        NarrativeCheck.check(row, measure: .share, sourceLocation: sourceLocation)
    }

    static func run(_ request: BreakdownRequest, on backend: StoreBackend, config: WeightingConfig? = nil) async throws -> BreakdownResult {
        let config = try config ?? WeightingConfig(document: DemoPanel.weightingConfig)
        return try await WeightingPanel.withConnector(backend) { connector, dataset in
            try await BreakdownExecutor(logger: WeightingPanel.logger).run(request, dataset: dataset, config: config, connector: connector).result
        }
    }
}
