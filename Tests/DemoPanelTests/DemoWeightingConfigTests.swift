import AnalyticsCore
import DataPlane
import DemoPanel
import Testing

@Suite("Demo panel weighting config and personas")
struct DemoWeightingConfigTests {
    let config = DemoPanel.weightingConfig

    @Test("names the respondent table, key, weight and base rules")
    func basics() throws {
        #expect(self.config["respondent_table"]?.stringValue == DemoPanelSchema.respondents.name)
        #expect(self.config["respondent_key"]?.stringValue == DemoPanelSchema.respondents.primaryKey)
        let weight = try #require(self.config["weight_column"]?.stringValue)
        #expect(DemoPanelSchema.respondents.columnNames.contains(weight))
        #expect(self.config["min_base"]?.intValue == 30)
        #expect(self.config["caution_base"]?.intValue == 100)
        #expect(self.config["unweighted_policy"]?.stringValue == "warn")
        // Survives a JSON round trip unchanged (it is stored in the registry as JSON).
        #expect(try JSONValue.parse(self.config.serialized()) == self.config)
    }

    /// For each dimension: every raw value in the data maps (directly or by merge) onto a declared value.
    @Test("every raw value maps onto a declared value; merges and order are consistent")
    func dimensions() throws {
        let dimensions = try #require(self.config["dimensions"]?.arrayValue)
        let raw: [String: [String]] = [
            "gender": DemoVocabulary.genders, "age_band": DemoVocabulary.ageBands, "nccs": DemoVocabulary.nccsClasses,
            "region": DemoVocabulary.regions, "city_tier": DemoVocabulary.cityTiers,
        ]
        #expect(Set(dimensions.compactMap { $0["column"]?.stringValue }) == Set(raw.keys))
        for dimension in dimensions {
            let column = try #require(dimension["column"]?.stringValue)
            let rawValues = try #require(raw[column])
            let values = try #require(dimension["values"]?.arrayValue).compactMap { $0["value"]?.stringValue }
            let merge = try #require(dimension["merge"]?.objectValue).compactMapValues(\.stringValue)
            let order = try #require(dimension["order"]?.arrayValue).compactMap(\.stringValue)
            #expect(order == values)
            #expect(Set(merge.keys).isSubset(of: Set(rawValues)))
            #expect(Set(merge.values).isSubset(of: Set(values)))
            #expect(Set(rawValues.map { merge[$0] ?? $0 }) == Set(values))

            // No alias may point at two values of the same dimension.
            var owner: [String: String] = [:]
            for value in try #require(dimension["values"]?.arrayValue) {
                let name = try #require(value["value"]?.stringValue)
                #expect(value["label"]?.stringValue?.isEmpty == false)
                for alias in try #require(value["aliases"]?.arrayValue).compactMap(\.stringValue) {
                    #expect(alias == alias.lowercased())
                    #expect(owner[alias] == nil || owner[alias] == name)
                    owner[alias] = name
                }
            }
        }
    }

    @Test("NCCS merges A1 into A and C, D, E into C/D/E; gender aliases cover women and men")
    func nccsAndGender() throws {
        let dimensions = try #require(self.config["dimensions"]?.arrayValue)
        let nccs = try #require(dimensions.first { $0["column"]?.stringValue == "nccs" })
        #expect(nccs["merge"] == ["A1": "A", "C": "C/D/E", "D": "C/D/E", "E": "C/D/E"])
        #expect(nccs["order"] == ["A", "B", "C/D/E"])
        let gender = try #require(dimensions.first { $0["column"]?.stringValue == "gender" })
        let values = try #require(gender["values"]?.arrayValue)
        let female = try #require(values.first { $0["value"] == "Female" })
        let male = try #require(values.first { $0["value"] == "Male" })
        for alias in ["women", "woman", "female", "f"] { #expect(female["aliases"]?.arrayValue?.contains(.string(alias)) == true) }
        for alias in ["men", "man", "male", "m"] { #expect(male["aliases"]?.arrayValue?.contains(.string(alias)) == true) }
    }

    @Test("event tables name real tables, keys, time columns and measures")
    func eventTables() throws {
        let tables = try #require(self.config["event_tables"]?.arrayValue)
        #expect(tables.count == 2)
        for entry in tables {
            let name = try #require(entry["table"]?.stringValue)
            let table = try #require(DemoPanelSchema.tables.first { $0.name == name })
            let columns = Set(table.columnNames)
            #expect(columns.contains(try #require(entry["respondent_key"]?.stringValue)))
            #expect(columns.contains(try #require(entry["time_column"]?.stringValue)))
            for measure in try #require(entry["measures"]?.arrayValue) {
                #expect(columns.contains(try #require(measure["column"]?.stringValue)))
            }
            for filter in try #require(entry["filter_columns"]?.arrayValue) {
                #expect(columns.contains(try #require(filter.stringValue)))
            }
        }
        #expect(tables.first { $0["table"] == "tv_viewing" }?["time_column"] == "start_time")
        #expect(tables.first { $0["table"] == "purchases" }?["time_column"] == "purchase_date")
    }

    @Test("personas filter on declared dimensions with merged values, and each matches respondents")
    func personas() throws {
        let dimensions = try #require(self.config["dimensions"]?.arrayValue)
        var declared: [String: (values: Set<String>, merge: [String: String])] = [:]
        for dimension in dimensions {
            let column = try #require(dimension["column"]?.stringValue)
            let values = Set(try #require(dimension["values"]?.arrayValue).compactMap { $0["value"]?.stringValue })
            declared[column] = (values, try #require(dimension["merge"]?.objectValue).compactMapValues(\.stringValue))
        }
        #expect(self.config["personas"]?.arrayValue?.count == DemoPanel.personas.count)
        #expect(Set(DemoPanel.personas.map(\.name)).count == DemoPanel.personas.count)
        #expect(DemoPanel.personas.contains { $0.name == "urban_affluent_women" && $0.label == "Female 25-34 NCCS A" })

        let respondents = Array(try DemoPanelGenerator(spec: DemoFixtures.spec(scale: 1)).respondents())
        for persona in DemoPanel.personas {
            for (column, values) in persona.filters {
                let dimension = try #require(declared[column])
                #expect(Set(values).isSubset(of: dimension.values))
            }
            let members = respondents.filter { person in
                persona.filters.allSatisfy { column, values in
                    guard let dimension = declared[column] else { return false }
                    let raw = Self.value(of: person, column: column)
                    return values.contains(dimension.merge[raw] ?? raw)
                }
            }
            // Every persona is analysable at scale 1 (above min_base).
            #expect(members.count >= 30, "\(persona.name) has \(members.count) members")
        }
    }

    static func value(of person: DemoRespondent, column: String) -> String {
        switch column {
        case "gender": person.gender
        case "age_band": person.ageBand
        case "nccs": person.nccs
        case "region": person.region
        case "city_tier": person.cityTier
        default: ""
        }
    }
}
