import AnalyticsCore
import LLMClient
import TestSupport
import Testing

/// The metadata-draft prompt and schema, alone and sent through the client to the fake provider.
@Suite struct MetadataDraftTests {
    static let draft = MetadataDraft(
        summary: "Weekly household panel of soft-drink purchases.",
        description: "A weighted panel of households.",
        dataDictionary: [
            .init(
                table: "public.respondents",
                description: "One row per respondent.",
                columns: [
                    .init(name: "id", description: "Respondent key.", semanticType: "identifier", pii: false),
                    .init(name: "weight", description: "Projection weight.", semanticType: "weight", pii: false),
                    .init(name: "email", description: "Contact address.", semanticType: "email", pii: true),
                ]
            )
        ],
        useCases: ["Share of households buying cola by region"],
        qualityNotes: ["3% of weights are null"],
        improvementSuggestions: ["Drop the email column from the analytics copy"],
        suggestedTags: ["panel", "fmcg"]
    )

    var prompt: MetadataDraftPrompt {
        MetadataDraftPrompt(
            datasetName: "Household panel",
            profile: #"{"tables": [{"name": "public.respondents", "columns": ["id", "weight", "email"]}]}"#,
            qualityFindings: "weight: 3% null (severity warning)",
            samples: [
                .init(
                    table: "public.respondents",
                    rows: (1...8).map { ["id": .int(Int64($0)), "weight": 1.5, "email": .string("person\($0)@example.com")] },
                    piiColumns: ["email"]
                )
            ]
        )
    }

    @Test func promptCarriesRulesProfileAndAtMostFiveMaskedRows() throws {
        let messages = try self.prompt.messages()

        try #require(messages.count == 2)
        #expect(messages[0].role == .system)
        #expect(messages[0].content.contains(try MetadataDraftPrompt.businessRules()))
        #expect(messages[0].content.contains("persona_dimension"))
        #expect(!messages[0].content.contains("{{"))
        let user = messages[1].content
        #expect(user.contains("Household panel"))
        #expect(user.contains(#""columns": ["id", "weight", "email"]"#))
        #expect(user.contains("weight: 3% null"))
        #expect(!user.contains("@example.com"))
        #expect(user.components(separatedBy: #""email":"[masked]""#).count - 1 == 5)
        #expect(user.contains(#""id":5"#))
        #expect(!user.contains(#""id":6"#))
    }

    @Test func schemaIsValidForStrictMode() throws {
        // Strict structured output needs every object closed and every property required.
        func check(_ schema: JSONValue, path: String) {
            if schema["type"] == "object" {
                let properties = schema["properties"]?.objectValue ?? [:]
                let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
                #expect(schema["additionalProperties"] == false, "\(path) is open")
                #expect(required == Set(properties.keys), "\(path) has optional properties")
                for (name, property) in properties { check(property, path: path + "." + name) }
            }
            if let items = schema["items"] { check(items, path: path + "[]") }
        }
        check(MetadataDraftSchema.schema, path: "$")
        #expect(Set(MetadataDraftSchema.schema["properties"]?.objectValue?.keys.map { $0 } ?? []) == Set(MetadataDraftSchema.topLevelKeys))
    }

    @Test func draftRoundTripsThroughJSON() throws {
        let json = Self.draft.jsonValue

        #expect(try MetadataDraft(json: json) == Self.draft)
        #expect(json["data_dictionary"]?.arrayValue?.first?["columns"]?.arrayValue?.last?["semantic_type"] == "email")
    }

    @Test func wrongShapeIsInvalidOutput() throws {
        let error = try #require(throws: AnalyticsError.self) { try MetadataDraft(json: ["summary": "only this"]) }

        #expect(error.code == .llmInvalidOutput)
    }

    @Test func draftRequestThroughTheClient() async throws {
        try await FakeOpenAIServer.withServer { server in
            let answer = Self.draft.jsonValue.serialized()
            server.enqueue(.malformedJSON, .content(answer))
            let client = try OpenAICompatibleClient(configuration: .forFake(server))

            let response = try await client.chat(try self.prompt.chatRequest())

            #expect(try MetadataDraft(json: try #require(response.json)) == Self.draft)
            #expect(response.usage.purpose == "metadata_draft")
            let sent = try #require(server.requests.last)
            #expect(sent.messageContents.first?.contains("Minimum base 30") == true)
            #expect(sent.responseFormat?["json_schema"]?["name"] == "metadata_draft")
            #expect(sent.responseFormat?["json_schema"]?["strict"] == true)
            #expect(sent.responseFormat?["json_schema"]?["schema"] == MetadataDraftSchema.schema)
            #expect(sent.json?["temperature"] == 0.2)
        }
    }
}
