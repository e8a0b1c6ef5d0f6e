import AnalyticsCore
import ControlPlane
import DataPlane
import DemoPanel
import Foundation
import MetadataStore
import Testing

@Suite("Weighting service")
struct WeightingServiceTests {
    static let reach: JSONValue = [
        "measure": ["type": "share", "reach": ["table": "tv_viewing", "filters": ["genre": ["Sports"]], "last_days": 90]],
        "by": ["region"],
    ]

    static func error(_ body: () async throws -> Void) async -> AnalyticsError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? AnalyticsError
        }
    }

    @Test("a config is validated, stored as a new authored version and read back")
    func setAndGet() async throws {
        try await WeightingHarness.run { h in
            let missing = await Self.error { _ = try await h.weighting.config("panel", by: WeightingHarness.viewer) }
            #expect(missing?.code == .weightingNotConfigured)

            let before = try await h.datasets.get("panel", by: WeightingHarness.admin)
            let (dataset, report) = try await h.weighting.setConfig(
                "panel",
                document: DemoPanel.weightingConfig,
                note: "initial weights",
                by: WeightingHarness.reviewer
            )
            #expect(report.isValid)
            #expect(dataset.version == before.version + 1)
            let versions = try await h.store.metadataVersions(datasetID: "panel")
            #expect(versions.last?.author == "t-reviewer", "authors are user ids")
            #expect(versions.last?.note == "initial weights")
            #expect(versions.last?.snapshot.weighting == dataset.weighting)

            let read = try await h.weighting.config("panel", by: WeightingHarness.viewer)
            #expect(read.config == (try WeightingConfig(document: DemoPanel.weightingConfig)))
            #expect(read.dataset.version == dataset.version)
        }
    }

    @Test("a config that does not match the database is refused and nothing is stored")
    func refused() async throws {
        try await WeightingHarness.run { h in
            var root = DemoPanel.weightingConfig.objectValue ?? [:]
            root["weight_column"] = "wgt"
            let error = await Self.error { _ = try await h.weighting.setConfig("panel", document: .object(root), by: WeightingHarness.reviewer) }
            #expect(error?.code == .invalidWeightingConfig)
            #expect(error?.details?["problems"]?.arrayValue?.contains("weight_column: 'wgt' is not a column of respondents") == true)
            let shape = await Self.error {
                _ = try await h.weighting.setConfig("panel", document: ["respondent_table": 5], by: WeightingHarness.reviewer)
            }
            #expect(shape?.code == .invalidWeightingConfig)
            #expect(shape?.details?["problems"]?.arrayValue?.contains("respondent_table: must be a string") == true)
            let dataset = try await h.datasets.get("panel", by: WeightingHarness.admin)
            #expect(dataset.weighting == nil)
            #expect(dataset.version == 1)
        }
    }

    @Test("roles: viewers read, reviewers edit, analysts run breakdowns")
    func roles() async throws {
        try await WeightingHarness.run { h in
            for principal in [WeightingHarness.viewer, WeightingHarness.analyst] {
                let error = await Self.error { _ = try await h.weighting.setConfig("panel", document: DemoPanel.weightingConfig, by: principal) }
                #expect(error?.code == .accessDenied)
            }
            _ = try await h.weighting.setConfig("panel", document: DemoPanel.weightingConfig, by: WeightingHarness.admin)
            let request = try BreakdownRequest(document: Self.reach, datasetID: "panel")
            let viewer = await Self.error { _ = try await h.engine.breakdown(request, caller: WeightingHarness.caller(WeightingHarness.viewer)) }
            #expect(viewer?.code == .accessDenied)
            let draft = await Self.error { _ = try await h.engine.breakdown(request, caller: WeightingHarness.caller(WeightingHarness.analyst)) }
            #expect(draft?.code == .datasetNotActive)
            let preview = try await h.engine.breakdown(request, caller: WeightingHarness.caller(WeightingHarness.reviewer))
            #expect(preview.rows.count == 4)
            try await h.activate()
            let result = try await h.engine.breakdown(request, caller: WeightingHarness.caller(WeightingHarness.analyst))
            #expect(result.rows.map(\.estimate) == preview.rows.map(\.estimate))
        }
    }

    @Test("personas are added, replaced, resolved and deleted as versions; bad ones are refused")
    func personas() async throws {
        try await WeightingHarness.run { h in
            _ = try await h.weighting.setConfig("panel", document: DemoPanel.weightingConfig, by: WeightingHarness.admin)
            let start = try await h.datasets.get("panel", by: WeightingHarness.admin).version
            let persona = PersonaDefinition(name: "north_men", label: "Men in the North", filters: ["gender": ["Male"], "region": ["North"]])
            _ = try await h.weighting.putPersona("panel", persona, by: WeightingHarness.reviewer)
            #expect(try await h.weighting.personas("panel", by: WeightingHarness.viewer).contains(persona))
            let replaced = PersonaDefinition(name: "NORTH_MEN", label: "Northern men", filters: ["gender": ["Male"], "region": ["North", "East"]])
            _ = try await h.weighting.putPersona("panel", replaced, by: WeightingHarness.reviewer)
            let personas = try await h.weighting.personas("panel", by: WeightingHarness.viewer)
            #expect(personas.filter { $0.name.lowercased() == "north_men" } == [replaced])
            #expect(personas.count == DemoPanel.personas.count + 1)
            let resolved = try await h.weighting.resolvePersona("panel", text: "northern men", by: WeightingHarness.viewer)
            #expect(resolved.source == .named("NORTH_MEN"))
            #expect(resolved.filters == ["gender": ["Male"], "region": ["North", "East"]])

            let bad = PersonaDefinition(name: "top", filters: ["nccs": ["A1"]])
            let refused = await Self.error { _ = try await h.weighting.putPersona("panel", bad, by: WeightingHarness.reviewer) }
            #expect(refused?.code == .invalidWeightingConfig)
            #expect(refused?.message.contains("'A1' is merged into 'A'") == true)
            let denied = await Self.error { _ = try await h.weighting.putPersona("panel", persona, by: WeightingHarness.analyst) }
            #expect(denied?.code == .accessDenied)

            try await h.weighting.deletePersona("panel", name: "north_men", by: WeightingHarness.reviewer)
            #expect(try await h.weighting.personas("panel", by: WeightingHarness.viewer).count == DemoPanel.personas.count)
            let gone = await Self.error { try await h.weighting.deletePersona("panel", name: "north_men", by: WeightingHarness.reviewer) }
            #expect(gone?.code == .notFound)
            #expect(try await h.datasets.get("panel", by: WeightingHarness.admin).version == start + 3)
            let unknown = await Self.error { _ = try await h.weighting.resolvePersona("panel", text: "martians", by: WeightingHarness.viewer) }
            #expect(unknown?.code == .unknownPersona)
        }
    }

    @Test("breakdowns are cached per dataset version and recorded in the query log, failures with their code")
    func queryLog() async throws {
        try await WeightingHarness.run { h in
            _ = try await h.weighting.setConfig("panel", document: DemoPanel.weightingConfig, by: WeightingHarness.admin)
            try await h.activate()
            var request = try BreakdownRequest(document: Self.reach, datasetID: "panel")
            request.persona = "young_men"
            let plan = try await h.engine.runPlan(
                QueryPlan(queries: [PlanStep(id: "s1", datasetID: "panel", breakdown: Self.reach, persona: "young_men")]),
                caller: WeightingHarness.caller(WeightingHarness.analyst)
            ) { _ in }
            let again = try await h.engine.breakdown(request, caller: WeightingHarness.caller(WeightingHarness.analyst))
            #expect(plan.steps.first?.breakdown?["rows"] == again.document["rows"])
            #expect(again.queryID != plan.steps.first?.breakdown?["query_id"]?.stringValue)
            request.persona = "martians"
            let failed = await Self.error { _ = try await h.engine.breakdown(request, caller: WeightingHarness.caller(WeightingHarness.analyst)) }
            #expect(failed?.code == .unknownPersona)
            // A new version of the dataset is not answered from the old version's cache.
            _ = try await h.weighting.setConfig("panel", document: DemoPanel.weightingConfig, note: "again", by: WeightingHarness.admin)
            request.persona = "young_men"
            _ = try await h.engine.breakdown(request, caller: WeightingHarness.caller(WeightingHarness.analyst))

            try await h.queryLog.flush()
            let entries = try await h.store.queryLog(QueryLogFilter(datasetID: "panel", limit: 10))
            let ok = entries.filter { $0.status == .ok }.sorted { $0.at < $1.at }
            #expect(ok.count == 3)
            let first = try #require(ok.first)
            #expect(first.tool == "weighted_breakdown" && first.principalName == "ana" && first.clientName == "tests")
            #expect(first.persona == "young_men" && first.planID == plan.planID && !first.cached)
            #expect(first.rows == again.rows.count)
            #expect(first.fingerprint?.count == 16)
            #expect(first.normalizedSQL?.contains("\"respondents\"") == true)
            #expect(ok.map(\.cached) == [false, true, false])
            #expect(ok[1].planID == nil && ok[1].bytes == first.bytes && ok[1].bytes > 0)
            let error = try #require(entries.first { $0.status == .error })
            #expect(error.errorCode == "UNKNOWN_PERSONA" && error.persona == "martians")
        }
    }

    @Test("plan breakdown steps take the step's dataset and persona")
    func planSteps() async throws {
        try await WeightingHarness.run { h in
            _ = try await h.weighting.setConfig("panel", document: DemoPanel.weightingConfig, by: WeightingHarness.admin)
            try await h.activate()
            var other = Self.reach.objectValue ?? [:]
            other["dataset_id"] = "elsewhere"
            let plan = try await h.engine.runPlan(
                QueryPlan(queries: [
                    PlanStep(id: "s1", datasetID: "panel", breakdown: Self.reach, persona: "seniors"),
                    PlanStep(id: "s2", datasetID: "panel", breakdown: .object(other)),
                ]),
                caller: WeightingHarness.caller(WeightingHarness.analyst, tool: "run_query_plan")
            ) { _ in }
            let document = try #require(plan.steps.first { $0.id == "s1" }?.breakdown)
            #expect(document["persona"]?["source"] == "named")
            #expect(document["persona"]?["name"] == "seniors")
            #expect(document["rows"]?.arrayValue?.count == 4)
            let mismatch = plan.steps.first { $0.id == "s2" }
            #expect(mismatch?.status == .error)
            #expect(mismatch?.error?["code"] == "INVALID_REQUEST")
        }
    }
}
