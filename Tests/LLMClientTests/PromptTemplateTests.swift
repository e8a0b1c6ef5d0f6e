import AnalyticsCore
import LLMClient
import Testing

/// Template files, placeholder rendering and its failures.
@Suite struct PromptTemplateTests {
    @Test func rendersEveryPlaceholder() throws {
        let template = PromptTemplate(name: "t.md", text: "Hello {{name}}, {{ greeting }}! Bye {{name}}.")

        #expect(template.placeholders == ["name", "greeting"])
        #expect(try template.render(["name": "Ada", "greeting": "welcome", "unused": "x"]) == "Hello Ada, welcome! Bye Ada.")
    }

    @Test func missingValuesAreListed() throws {
        let template = PromptTemplate(name: "t.md", text: "{{a}} {{b}} {{c}} {{b}}")

        let error = try #require(throws: AnalyticsError.self) { try template.render(["b": "2"]) }

        #expect(error.message.contains("a, c"))
        #expect(error.message.contains("t.md"))
        #expect(error.details?["missing_placeholders"] == ["a", "c"])
    }

    @Test func valuesAreNotRescanned() throws {
        let template = PromptTemplate(name: "t.md", text: "Profile: {{profile}} / {{other}}")

        let rendered = try template.render(["profile": #"{"note": "{{other}}"}"#, "other": "X"])

        #expect(rendered == #"Profile: {"note": "{{other}}"} / X"#)
    }

    @Test func bracesThatAreNotPlaceholdersStay() throws {
        let template = PromptTemplate(name: "t.md", text: "JSON {{ \"a\": 1 }} and {{unclosed and {{x}}")

        #expect(template.placeholders == ["x"])
        #expect(try template.render(["x": "ok"]) == "JSON {{ \"a\": 1 }} and {{unclosed and ok")
    }

    @Test func missingFileIsAnError() throws {
        let error = try #require(throws: AnalyticsError.self) { try PromptTemplate.load("no_such_prompt.md") }

        #expect(error.message.contains("no_such_prompt.md"))
        #expect(error.details?["template"] == "no_such_prompt.md")
    }

    @Test func pathsOutsideThePromptsDirectoryAreRefused() {
        #expect(throws: AnalyticsError.self) { try PromptTemplate.load("../Prompts/business_rules.md") }
    }

    @Test func shippedTemplatesLoadWithTheirPlaceholders() throws {
        let rules = try PromptTemplate.load("business_rules.md")
        let system = try PromptTemplate.load("metadata_draft.system")
        let user = try PromptTemplate.load("metadata_draft.user.md")

        #expect(rules.placeholders.isEmpty)
        #expect(Set(system.placeholders) == ["business_rules", "semantic_types", "max_raw_rows"])
        #expect(Set(user.placeholders) == ["dataset_name", "profile", "sample_rows", "quality_findings"])
    }

    @Test func businessRulesCarryTheLevelZeroLimits() throws {
        let rules = try MetadataDraftPrompt.businessRules()

        for fact in ["Minimum base 30", "Caution base 100", "At most 5 raw", "weighted", "masked", "read-only", "Never invent"] {
            #expect(rules.contains(fact), "business rules lack '\(fact)'")
        }
    }
}
