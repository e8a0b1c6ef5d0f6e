import AnalyticsCore
import Testing

@Suite("Breakdown request document")
struct BreakdownRequestTests {
    @Test("reads the documented shape")
    func reads() throws {
        let request = try BreakdownRequest(document: [
            "dataset_id": "demo",
            "measure": [
                "type": "share",
                "reach": ["table": "tv_viewing", "filters": ["genre": "Sports"], "last_days": 90],
                "label": "watched Sports",
            ],
            "by": "region",
            "persona": "Female 25-34 NCCS A",
            "filters": ["city_tier": "Metro"],
            "reference_date": "2026-03-02",
        ])
        #expect(request.datasetID == "demo")
        #expect(request.by == ["region"])
        #expect(request.filters == ["city_tier": ["Metro"]])
        #expect(request.referenceDate?.description == "2026-03-02")
        #expect(request.measure.kind == .share && request.measure.label == "watched Sports")
        #expect(request.measure.events == EventSelection(table: "tv_viewing", filters: ["genre": ["Sports"]], window: DateWindow(lastDays: 90)))

        let mean = try BreakdownRequest(
            document: ["measure": ["type": "mean", "events": ["table": "tv_viewing", "column": "minutes"]]],
            datasetID: "from_plan"
        )
        #expect(mean.datasetID == "from_plan")
        #expect(mean.measure.events?.aggregation == .sum)
        let count = try BreakdownRequest(document: [
            "dataset_id": "d", "measure": ["type": "per_user", "events": ["table": "t", "from": "2025-01-01", "to": "2025-01-31"]],
        ])
        #expect(count.measure.events?.aggregation == .count)
        #expect(count.measure.events?.window == DateWindow(from: BreakdownDay("2025-01-01"), to: BreakdownDay("2025-01-31")))
        let condition = try BreakdownRequest(document: [
            "dataset_id": "d", "measure": ["type": "share", "condition": ["column": "size", "op": ">=", "value": 4]],
        ])
        #expect(condition.measure.conditions == [RespondentCondition(column: "size", op: .greaterOrEqual, values: [4])])
        let list = try BreakdownRequest(document: [
            "dataset_id": "d", "measure": ["type": "share", "condition": [["column": "g", "values": ["a", "b"]]]],
        ])
        #expect(list.measure.conditions.first?.op == .isIn)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var document: JSONValue
        var problem: String
        var testDescription: String { self.problem }
    }

    static let cases: [Case] = [
        Case(document: ["dataset_id": "d"], problem: "measure: is required"),
        Case(document: ["measure": ["type": "share", "condition": ["column": "x", "value": 1]]], problem: "dataset_id: is required"),
        Case(document: ["dataset_id": "d", "measure": ["type": "median", "column": "x"]], problem: "measure.type: 'median' is not one of"),
        Case(document: ["dataset_id": "d", "measure": ["type": "share"]], problem: "measure: a share needs exactly one of condition"),
        Case(document: ["dataset_id": "d", "measure": ["type": "mean"]], problem: "measure: a mean needs exactly one of column"),
        Case(document: ["dataset_id": "d", "measure": ["type": "per_user", "column": "x"]], problem: "measure.events: is required"),
        Case(
            document: ["dataset_id": "d", "measure": ["type": "share", "reach": ["table": "t", "last_days": 0]]],
            problem: "measure.reach.last_days: must be between 1"
        ),
        Case(
            document: ["dataset_id": "d", "measure": ["type": "share", "reach": ["table": "t", "from": "2025-02-01", "to": "2025-01-01"]]],
            problem: "measure.reach: from (2025-02-01) is after to (2025-01-01)"
        ),
        Case(
            document: ["dataset_id": "d", "measure": ["type": "share", "reach": ["table": "t", "from": "yesterday"]]],
            problem: "measure.reach.from: 'yesterday' is not a date"
        ),
        Case(
            document: ["dataset_id": "d", "measure": ["type": "share", "condition": ["column": "x", "op": "~", "value": 1]]],
            problem: "measure.condition.op: '~' is not one of"
        ),
        Case(
            document: ["dataset_id": "d", "measure": ["type": "share", "condition": ["column": "x", "op": ">"]]],
            problem: "measure.condition: > takes exactly one value"
        ),
        Case(
            document: ["dataset_id": "d", "measure": ["type": "mean", "events": ["table": "t", "aggregation": "avg"]]],
            problem: "measure.events.column: is required for avg"
        ),
        Case(
            document: ["dataset_id": "d", "measure": ["type": "share", "reach": ["table": "t"]], "group_by": ["x"]],
            problem: "group_by: unknown field"
        ),
        Case(
            document: ["dataset_id": "d", "measure": ["type": "share", "reach": ["table": "t"]], "by": ["a", "b", "c", "d", "e"]],
            problem: "by: at most 4 dimensions"
        ),
        Case(
            document: ["dataset_id": "d", "measure": ["type": "share", "reach": ["table": "t"]], "reference_date": "2025-02-30"],
            problem: "reference_date: '2025-02-30' is not a date"
        ),
    ]

    @Test("invalid requests name the problem", arguments: Self.cases)
    func invalid(_ testCase: Case) throws {
        let error = try #require(throws: AnalyticsError.self) { try BreakdownRequest(document: testCase.document) }
        #expect(error.code == .invalidRequest)
        let problems = error.details?["problems"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(problems.contains { $0.hasPrefix(testCase.problem) }, "problems: \(problems)")
    }

    @Test("days parse strictly and add exactly")
    func days() throws {
        let day = try #require(BreakdownDay("2024-02-28"))
        #expect(day.adding(days: 1).description == "2024-02-29")
        #expect(day.adding(days: 2).description == "2024-03-01")
        #expect(BreakdownDay("2025-06-30T23:59:59")?.description == "2025-06-30")
        #expect(BreakdownDay("2025-06-30 10:00:00")?.description == "2025-06-30")
        #expect(BreakdownDay("2025-6-30") == nil && BreakdownDay("2025-06-31") == nil && BreakdownDay("2025-06-30x") == nil)
        #expect(try #require(BreakdownDay("1970-01-01")).daysSinceEpoch == 0)
        #expect(DateWindow(lastDays: 90).resolved(reference: try #require(BreakdownDay("2025-06-30"))).from?.description == "2025-04-02")
    }
}
