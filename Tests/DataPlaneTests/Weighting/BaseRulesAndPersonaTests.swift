import AnalyticsCore
import DataPlane
import DemoPanel
import Foundation
import TestSupport
import Testing

/// Base-size rules at their exact boundaries, personas resolved by name or free text, filters,
/// reference dates and the errors a breakdown request can get — on both backends.
@Suite("Weighted breakdown: base rules and personas")
struct BaseRulesAndPersonaTests {
    static let reach = BreakdownMeasure(kind: .share, events: EventSelection(table: "tv_viewing", filters: ["genre": ["Kids"]]))

    @Test("suppression at n = min_base - 1 vs min_base, caution at caution_base", arguments: StoreBackend.allCases)
    func boundaries(backend: StoreBackend) async throws {
        let rows = try await PanelRows.load(backend)
        let kids = Set(rows.viewing.filter { $0.genre == "Kids" }.map(\.respondentID))
        let expected = Oracle.groups(
            rows.respondents,
            include: { $0.gender == "Male" && $0.ageBand == "15-24" },
            key: \.region,
            hit: { kids.contains($0.id) }
        )
        let north = try #require(expected["North"])
        let n = north.n
        #expect(n > 2)
        let request = BreakdownRequest(datasetID: "panel", measure: Self.reach, by: ["region"], persona: "Male 15-24")

        for (minBase, cautionBase) in [(n, n), (n + 1, n + 1), (n - 1, n + 5)] {
            let config = try ConfigEdits.config {
                $0["min_base"] = .int(Int64(minBase))
                $0["caution_base"] = .int(Int64(cautionBase))
            }
            let result = try await ReachBreakdownTests.run(request, on: backend, config: config)
            let row = try #require(result.rows.first { Oracle.key($0) == "North" })
            #expect(row.estimate.unweightedN == n)
            #expect(row.estimate.suppressed == (minBase == n + 1), "n=\(n) min_base=\(minBase)")
            #expect(row.estimate.caution == (cautionBase > n), "n=\(n) caution_base=\(cautionBase)")
            #expect((row.estimate.value == nil) == row.estimate.suppressed)
            ReachBreakdownTests.expectShare(row, north, minBase: minBase, cautionBase: cautionBase)
            for other in result.rows {
                ReachBreakdownTests.expectShare(other, try #require(expected[Oracle.key(other)]), minBase: minBase, cautionBase: cautionBase)
            }
            #expect(result.warnings.contains { $0.code == "BASE_TOO_SMALL" } == result.rows.contains(where: \.estimate.suppressed))
        }
    }

    @Test("a stored persona, its label and equivalent free text give the same figures", arguments: StoreBackend.allCases)
    func personaSpellings(backend: StoreBackend) async throws {
        var results: [BreakdownResult] = []
        for persona in ["urban_affluent_women", "Female 25-34 NCCS A", "women 25 to 34, nccs a", "NCCS-A FEMALES aged 25–34"] {
            let request = BreakdownRequest(datasetID: "panel", measure: Self.reach, by: ["city_tier"], persona: persona)
            results.append(try await ReachBreakdownTests.run(request, on: backend))
        }
        let reference = try #require(results.first)
        #expect(reference.persona?.source == .named("urban_affluent_women"))
        #expect(results.dropFirst().allSatisfy { $0.persona?.source == .parsed || $0.persona?.source == .named("urban_affluent_women") })
        for result in results {
            #expect(result.persona?.filters == ["gender": ["Female"], "age_band": ["25-34"], "nccs": ["A"]])
            #expect(result.rows.map(\.estimate) == reference.rows.map(\.estimate))
        }
    }

    @Test("filters narrow a persona; labels and figures follow", arguments: StoreBackend.allCases)
    func filters(backend: StoreBackend) async throws {
        let rows = try await PanelRows.load(backend)
        let kids = Set(rows.viewing.filter { $0.genre == "Kids" }.map(\.respondentID))
        let request = BreakdownRequest(
            datasetID: "panel",
            measure: Self.reach,
            by: ["gender"],
            persona: "seniors",
            filters: ["zone": ["north", "SOUTH"], "town class": ["metros"]]
        )
        let result = try await ReachBreakdownTests.run(request, on: backend)
        #expect(result.persona?.filters == ["age_band": ["55+"], "region": ["North", "South"], "city_tier": ["Metro"]])
        #expect(result.persona?.label == "55+, North/South Metro")
        let expected = Oracle.groups(
            rows.respondents,
            include: { $0.ageBand == "55+" && ["North", "South"].contains($0.region) && $0.cityTier == "Metro" },
            key: \.gender,
            hit: { kids.contains($0.id) }
        )
        #expect(result.rows.count == expected.count)
        for row in result.rows {
            ReachBreakdownTests.expectShare(row, try #require(expected[Oracle.key(row)]), minBase: 30, cautionBase: 100)
        }
    }

    @Test("last N days ends on the reference date when one is given", arguments: StoreBackend.allCases)
    func referenceDate(backend: StoreBackend) async throws {
        let rows = try await PanelRows.load(backend)
        let request = BreakdownRequest(
            datasetID: "panel",
            measure: BreakdownMeasure(
                kind: .share,
                events: EventSelection(table: "purchases", filters: ["category": ["Dairy"]], window: DateWindow(lastDays: 7))
            ),
            referenceDate: BreakdownDay("2025-05-15")
        )
        let result = try await ReachBreakdownTests.run(request, on: backend)
        #expect(result.window?.from?.description == "2025-05-09")
        #expect(result.window?.to?.description == "2025-05-15")
        let buyers = Set(rows.purchases.filter { $0.category == "Dairy" && $0.day >= "2025-05-09" && $0.day <= "2025-05-15" }.map(\.respondentID))
        let sums = try #require(Oracle.groups(rows.respondents, key: { _ in "" }, hit: { buyers.contains($0.id) })[""])
        ReachBreakdownTests.expectShare(try #require(result.rows.first), sums, minBase: 30, cautionBase: 100)
    }

    @Test("bad requests get coded errors naming the valid choices", arguments: StoreBackend.allCases)
    func errors(backend: StoreBackend) async throws {
        func failure(_ request: BreakdownRequest) async -> AnalyticsError? {
            do {
                _ = try await ReachBreakdownTests.run(request, on: backend)
                return nil
            } catch {
                return error as? AnalyticsError
            }
        }
        let unknown = await failure(BreakdownRequest(datasetID: "panel", measure: Self.reach, persona: "Female 25-34 NCCS Z"))
        #expect(unknown?.code == .unknownPersona)
        #expect(unknown?.details?["valid_values"]?["nccs"] == ["NCCS A", "NCCS B", "NCCS C/D/E"])
        #expect(unknown?.details?["unknown"] == ["z"])

        let merged = await failure(BreakdownRequest(datasetID: "panel", measure: Self.reach, filters: ["nccs": ["A1"]]))
        #expect(merged?.code == .invalidRequest)
        #expect(merged?.message.contains("merged into 'NCCS A'") == true)

        let table = await failure(
            BreakdownRequest(datasetID: "panel", measure: BreakdownMeasure(kind: .share, events: EventSelection(table: "radio")))
        )
        #expect(table?.code == .invalidRequest)
        #expect(table?.details?["event_tables"] == ["tv_viewing", "purchases"])

        let filter = await failure(
            BreakdownRequest(
                datasetID: "panel",
                measure: BreakdownMeasure(kind: .share, events: EventSelection(table: "tv_viewing", filters: ["minutes": [5]]))
            )
        )
        #expect(filter?.code == .invalidRequest)
        #expect(filter?.details?["filter_columns"] == ["channel", "genre"])

        let column = await failure(
            BreakdownRequest(
                datasetID: "panel",
                measure: BreakdownMeasure(kind: .share, conditions: [RespondentCondition(column: "income", op: .greater, values: [5])])
            )
        )
        #expect(column?.code == .invalidRequest)
        #expect(column?.message.contains("no column 'income'") == true)

        let by = await failure(BreakdownRequest(datasetID: "panel", measure: Self.reach, by: ["religion"]))
        #expect(by?.code == .invalidRequest)

        let aggregation = await failure(
            BreakdownRequest(
                datasetID: "panel",
                measure: BreakdownMeasure(kind: .mean, events: EventSelection(table: "tv_viewing", aggregation: .sum, column: "channel"))
            )
        )
        #expect(aggregation?.code == .invalidRequest)
    }

    @Test("more groups than the executor allows is RESULT_TOO_LARGE", arguments: StoreBackend.allCases)
    func tooManyGroups(backend: StoreBackend) async throws {
        let request = BreakdownRequest(datasetID: "panel", measure: Self.reach, by: ["age_band", "region"])
        let config = try WeightingConfig(document: DemoPanel.weightingConfig)
        let error = await #expect(throws: AnalyticsError.self) {
            _ = try await WeightingPanel.withConnector(backend) { connector, dataset in
                try await BreakdownExecutor(maximumGroups: 19, logger: WeightingPanel.logger).run(
                    request,
                    dataset: dataset,
                    config: config,
                    connector: connector
                )
            }
        }
        #expect(error?.code == .resultTooLarge)
        let fits = try await WeightingPanel.withConnector(backend) { connector, dataset in
            try await BreakdownExecutor(maximumGroups: 20, logger: WeightingPanel.logger).run(
                request,
                dataset: dataset,
                config: config,
                connector: connector
            )
        }
        #expect(fits.result.rows.count == 20)
    }
}
