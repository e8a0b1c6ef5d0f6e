import AnalyticsCore
import Testing

@Suite("Weighting config document")
struct WeightingConfigTests {
    @Test("reads the document with defaults and writes it back unchanged")
    func roundTrip() throws {
        let config = try WeightingConfig(document: TestConfigs.panel)
        #expect(config.minBase == 30 && config.cautionBase == 100)
        #expect(config.unweightedPolicy == .warn)
        #expect(config.dimensions.map(\.column) == ["gender", "age_band", "nccs", "region"])
        let nccs = try #require(config.dimension(named: "SEC"))
        #expect(nccs.column == "nccs")
        #expect(nccs.reported("A1") == "A" && nccs.reported("D") == "C/D/E" && nccs.reported("B") == "B")
        #expect(nccs.mergedSources(of: "C/D/E") == ["C", "D", "E"])
        #expect(config.eventTables.first?.measures.first?.aggregations == [.sum, .avg, .count])
        #expect(config.persona(named: "URBAN AFFLUENT WOMEN")?.name == "urban_affluent_women")
        #expect(config.persona(named: "female 25-34 nccs a")?.name == "urban_affluent_women")
        let again = try WeightingConfig(document: config.document)
        #expect(again == config)
        #expect(again.document == config.document)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var edit: @Sendable (inout [String: JSONValue]) -> Void
        var problem: String
        var testDescription: String { self.name }
    }

    static func dimension(
        _ index: Int,
        _ edit: @escaping @Sendable (inout [String: JSONValue]) -> Void
    ) -> @Sendable (inout [String: JSONValue]) -> Void {
        { root in
            var dimensions = root["dimensions"]?.arrayValue ?? []
            var object = dimensions[index].objectValue ?? [:]
            edit(&object)
            dimensions[index] = .object(object)
            root["dimensions"] = .array(dimensions)
        }
    }

    static let cases: [Case] = [
        Case(name: "missing weight column", edit: { $0["weight_column"] = nil }, problem: "weight_column: is required"),
        Case(name: "weight column of the wrong type", edit: { $0["weight_column"] = 3.5 }, problem: "weight_column: must be a string"),
        Case(name: "unknown field", edit: { $0["weights"] = "w" }, problem: "weights: unknown field"),
        Case(name: "unsupported version", edit: { $0["version"] = 2 }, problem: "version: 2 is not supported"),
        Case(name: "min_base below 1", edit: { $0["min_base"] = 0 }, problem: "min_base: must be at least 1 (got 0)"),
        Case(
            name: "caution_base below min_base",
            edit: {
                $0["min_base"] = 50
                $0["caution_base"] = 40
            },
            problem: "caution_base: must be at least min_base (50), got 40"
        ),
        Case(name: "unknown policy", edit: { $0["unweighted_policy"] = "ignore" }, problem: "unweighted_policy: 'ignore' is not one of: warn, block"),
        Case(
            name: "merge into an undeclared value",
            edit: dimension(2) { $0["merge"] = ["A1": "AA"] },
            problem: "dimensions[2].merge.A1: target 'AA' is not one of the declared values"
        ),
        Case(
            name: "merging away a declared value",
            edit: dimension(2) { $0["merge"] = ["B": "A"] },
            problem: "dimensions[2].merge.B: 'B' is a declared value and cannot also be merged into 'A'"
        ),
        Case(
            name: "order naming an undeclared value",
            edit: dimension(2) { $0["order"] = ["A", "B", "Z"] },
            problem: "dimensions[2].order: 'Z' is not one of the declared values"
        ),
        Case(
            name: "an alias naming two values of one dimension",
            edit: dimension(2) { dimension in
                dimension["values"] = [
                    TestConfigs.value("A", "NCCS A", ["top"]), TestConfigs.value("B", "NCCS B", ["top"]), TestConfigs.value("C/D/E"),
                ]
            },
            problem: "dimensions[2].values: 'top' names both 'A' and 'B'"
        ),
        Case(
            name: "a dimension declared twice",
            edit: { root in root["dimensions"] = .array((root["dimensions"]?.arrayValue ?? []) + [["column": "region"]]) },
            problem: "dimensions[4].column: 'region' is declared twice"
        ),
        Case(
            name: "the weight as a dimension",
            edit: { root in root["dimensions"] = .array((root["dimensions"]?.arrayValue ?? []) + [["column": "weight"]]) },
            problem: "dimensions[4].column: the weight column cannot be a dimension"
        ),
        Case(
            name: "an unknown aggregation",
            edit: { root in
                root["event_tables"] = [
                    ["table": "tv_viewing", "respondent_key": "respondent_id", "measures": [["column": "minutes", "aggregations": ["median"]]]]
                ]
            },
            problem: "event_tables[0].measures[0].aggregations: 'median' is not one of: sum, avg, count"
        ),
        Case(
            name: "a persona on an unknown dimension",
            edit: { $0["personas"] = [["name": "rich", "filters": ["income": ["High"]]]] },
            problem: "personas[0].filters.income: not a dimension column (dimensions: gender, age_band, nccs, region)"
        ),
        Case(
            name: "a persona naming a merged-away raw value",
            edit: { $0["personas"] = [["name": "top", "filters": ["nccs": ["A1"]]]] },
            problem: "personas[0].filters.nccs: 'A1' is merged into 'A'; name 'A'"
        ),
        Case(
            name: "a persona naming an unknown value",
            edit: { $0["personas"] = [["name": "x", "filters": ["region": ["Central"]]]] },
            problem: "personas[0].filters.region: 'Central' is not a value of Region (values: North, South, East, West)"
        ),
    ]

    @Test("invalid documents are refused with the reason and its path", arguments: Self.cases)
    func invalid(_ testCase: Case) throws {
        let error = try #require(throws: AnalyticsError.self) { try WeightingConfig(document: TestConfigs.edited(testCase.edit)) }
        #expect(error.code == .invalidWeightingConfig)
        let problems = error.details?["problems"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(problems.contains { $0.hasPrefix(testCase.problem) }, "problems: \(problems)")
        #expect(error.message.contains(testCase.problem))
    }

    @Test("every problem is listed at once")
    func allProblems() throws {
        let document = TestConfigs.edited { root in
            root["respondent_table"] = nil
            root["min_base"] = "thirty"
            root["unweighted_policy"] = "sometimes"
        }
        let error = try #require(throws: AnalyticsError.self) { try WeightingConfig(document: document) }
        let problems = error.details?["problems"]?.arrayValue ?? []
        #expect(problems.count == 3)
        #expect(error.message.contains("(and 2 more problems)"))
    }

    @Test("a document that is not an object is refused")
    func notAnObject() throws {
        let error = try #require(throws: AnalyticsError.self) { try WeightingConfig(document: ["weights"]) }
        #expect(error.code == .invalidWeightingConfig)
        #expect(error.message.contains("must be an object"))
    }

    @Test("a persona document reads alone and is checked against the dimensions")
    func personaDocument() throws {
        let persona = try PersonaDefinition(document: ["name": "north_men", "filters": ["gender": "Male", "region": ["North"]]])
        #expect(persona.label == "north_men")
        #expect(persona.filters == ["gender": ["Male"], "region": ["North"]])
        let config = try WeightingConfig(document: TestConfigs.panel)
        #expect(config.personaProblems(persona, at: "persona") == [])
        let bad = try #require(throws: AnalyticsError.self) { try PersonaDefinition(document: ["label": "no name"]) }
        #expect(bad.details?["problems"]?.arrayValue?.contains("persona.name: is required") == true)
    }
}
