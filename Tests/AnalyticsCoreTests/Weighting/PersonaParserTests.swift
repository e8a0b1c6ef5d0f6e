import AnalyticsCore
import Testing

@Suite("Persona parsing")
struct PersonaParserTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        var text: String
        var filters: [String: [String]]
        var label: String
        var testDescription: String { self.text }
    }

    static let validCases: [Valid] = [
        Valid(text: "Female 25-34 NCCS A", filters: ["gender": ["Female"], "age_band": ["25-34"], "nccs": ["A"]], label: "Female 25-34 NCCS A"),
        Valid(text: "women 25 to 34, nccs a", filters: ["gender": ["Female"], "age_band": ["25-34"], "nccs": ["A"]], label: "Female 25-34 NCCS A"),
        Valid(text: "FEMALES 25–34 NCCS-A", filters: ["gender": ["Female"], "age_band": ["25-34"], "nccs": ["A"]], label: "Female 25-34 NCCS A"),
        Valid(text: "a woman in the north", filters: ["gender": ["Female"], "region": ["North"]], label: "Female North"),
        Valid(text: "men, sec class a", filters: ["gender": ["Male"], "nccs": ["A"]], label: "Male NCCS A"),
        Valid(text: "South NCCS A/B", filters: ["region": ["South"], "nccs": ["A", "B"]], label: "NCCS A/NCCS B South"),
        Valid(text: "NCCS B/A", filters: ["nccs": ["A", "B"]], label: "NCCS A/NCCS B"),
        Valid(text: "cde northern", filters: ["nccs": ["C/D/E"], "region": ["North"]], label: "NCCS C/D/E North"),
        Valid(text: "men 35-54", filters: ["gender": ["Male"], "age_band": ["35-44", "45-54"]], label: "Male 35-44/45-54"),
        Valid(text: "45+ east or west", filters: ["age_band": ["45-54", "55+"], "region": ["East", "West"]], label: "45-54/55+ East/West"),
        Valid(text: "seniors", filters: ["age_band": ["55+"]], label: "55+"),
        Valid(text: "zone north", filters: ["region": ["North"]], label: "North"),
        Valid(text: "everyone", filters: [:], label: "all respondents"),
    ]

    @Test("free text resolves case-, hyphen-, comma- and 'to'-insensitively", arguments: Self.validCases)
    func valid(_ testCase: Valid) throws {
        let parser = PersonaParser(config: try WeightingConfig(document: TestConfigs.panel))
        let segment = try parser.parse(testCase.text)
        #expect(segment.filters == testCase.filters)
        #expect(segment.label == testCase.label)
        #expect(segment.source == .parsed)
        #expect(segment.input == testCase.text)
    }

    @Test("stored personas resolve by name or label, case-insensitively")
    func stored() throws {
        let parser = PersonaParser(config: try WeightingConfig(document: TestConfigs.panel))
        for text in ["urban_affluent_women", "Urban Affluent Women", "female 25-34 nccs a"] {
            let segment = try #require(try parser.resolve(text))
            #expect(segment.source == .named("urban_affluent_women"))
            #expect(segment.label == "Female 25-34 NCCS A")
        }
        #expect(try parser.resolve(nil) == nil)
        #expect(try parser.resolve("  -- ") == nil)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        var text: String
        var code: ErrorCode
        var unknown: [String]
        var message: String
        var testDescription: String { self.text }
    }

    static let invalidCases: [Invalid] = [
        Invalid(text: "Female 25-34 NCCS Z", code: .unknownPersona, unknown: ["z"], message: "'z' matches no dimension value"),
        Invalid(text: "martian overlords", code: .unknownPersona, unknown: ["martian overlords"], message: "'martian overlords' match"),
        Invalid(text: "NCCS A1 women", code: .unknownPersona, unknown: ["A1"], message: "'A1' is reported merged into 'NCCS A'"),
        Invalid(text: "men 30-40", code: .unknownPersona, unknown: ["30 40"], message: "'30 40' matches no dimension value"),
        Invalid(text: "age", code: .unknownPersona, unknown: [], message: "it names no dimension value"),
    ]

    @Test("unknown words are UNKNOWN_PERSONA listing valid values per dimension", arguments: Self.invalidCases)
    func unknown(_ testCase: Invalid) throws {
        let parser = PersonaParser(config: try WeightingConfig(document: TestConfigs.panel))
        let error = try #require(throws: AnalyticsError.self) { _ = try parser.resolve(testCase.text) }
        #expect(error.code == testCase.code)
        #expect(error.message.contains(testCase.message), "\(error.message)")
        #expect(error.details?["unknown"] == .array(testCase.unknown.map(JSONValue.string)))
        #expect(error.details?["valid_values"]?["gender"] == ["Female", "Male"])
        #expect(error.details?["valid_values"]?["nccs"] == ["NCCS A", "NCCS B", "NCCS C/D/E"])
        #expect(error.details?["personas"] == ["urban_affluent_women"])
    }

    @Test("a value shared by two dimensions is AMBIGUOUS_PERSONA unless the dimension is named")
    func ambiguous() throws {
        let config = try WeightingConfig(document: TestConfigs.ambiguous)
        #expect(config.sharedPhrases["high"] == ["education", "income"])
        let parser = PersonaParser(config: config)
        let error = try #require(throws: AnalyticsError.self) { _ = try parser.resolve("women high") }
        #expect(error.code == .ambiguousPersona)
        #expect(error.message.contains("'high' could be Education High or Income High"))
        #expect(error.details?["ambiguous"]?.arrayValue?.first?["candidates"] == ["education": "High", "income": "High"])
        let named = try #require(try parser.resolve("women income high, education low"))
        #expect(named.filters == ["gender": ["Female"], "income": ["High"], "education": ["Low"]])
    }

    @Test("explicit filters resolve labels and aliases, and combine with a persona")
    func filters() throws {
        let parser = PersonaParser(config: try WeightingConfig(document: TestConfigs.panel))
        #expect(try parser.resolveFilters(["zone": ["northern", "South"], "SEC": ["class a"]]) == ["region": ["North", "South"], "nccs": ["A"]])
        let persona = try parser.resolve("urban_affluent_women")
        let combined = try #require(try parser.combine(persona, filters: ["region": ["North"]]))
        #expect(combined.filters == ["gender": ["Female"], "age_band": ["25-34"], "nccs": ["A"], "region": ["North"]])
        #expect(combined.label == "Female 25-34 NCCS A, North")
        let clash = try #require(throws: AnalyticsError.self) { _ = try parser.combine(persona, filters: ["nccs": ["B"]]) }
        #expect(clash.message.contains("select no common NCCS"))
        let unknownValue = try #require(throws: AnalyticsError.self) { _ = try parser.resolveFilters(["region": ["Central"]]) }
        #expect(unknownValue.code == .invalidRequest)
        #expect(unknownValue.hint == "Use one of: North, South, East, West.")
        let unknownDimension = try #require(throws: AnalyticsError.self) { _ = try parser.resolveFilters(["religion": ["x"]]) }
        #expect(unknownDimension.message.contains("'religion' in filters is not a persona dimension"))
    }

    @Test("normalisation treats hyphens, dashes, commas and 'to' between numbers alike")
    func normalisation() {
        #expect(PersonaText.normalized("Female 25-34, NCCS-A") == "female 25 34 nccs a")
        #expect(PersonaText.normalized("women 25 to 34") == "women 25 34")
        #expect(PersonaText.normalized("go to 55+") == "go to 55+")
        #expect(PersonaText.normalized("C/D/E") == "c d e")
        #expect(PersonaText.normalized("25–34") == "25 34")
    }
}
