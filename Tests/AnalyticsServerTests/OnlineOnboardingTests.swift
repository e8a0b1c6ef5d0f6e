import AnalyticsCore
import AnalyticsServer
import Foundation
import HTTPTypes
import TestSupport
import Testing

/// The server with a language model configured (the fake OpenAI server): drafts come from the
/// model with their token usage recorded, approval embeds the dataset's documentation, and the
/// MCP `search_datasets` tool ranks with the question's embedding as well as BM25.
@Suite("Onboarding with a language model")
struct OnlineOnboardingTests {
    static let draft: JSONValue = [
        "summary": "A weighted panel of respondents by gender.",
        "description": "Respondents with their gender and survey weight.",
        "data_dictionary": [],
        "use_cases": ["Weighted gender shares."],
        "quality_notes": [],
        "improvement_suggestions": [],
        "suggested_tags": ["panel"],
    ]

    @Test("model drafts with usage, embeddings on approval, hybrid search_datasets over MCP")
    func modelDraftsAndSemanticSearch() async throws {
        try await FakeOpenAIServer.withServer { server in
            server.setDefaultReply(.content(Self.draft.serialized()))
            let environment = [
                "MCPA_LLM_API_KEY": "sk-test-online-3b9e",
                "MCPA_LLM_BASE_URL": server.baseURL,
                "MCPA_LLM_MODEL": "fake-model",
                "MCPA_LLM_EMBEDDINGS_MODEL": "fake-embeddings",
                "MCPA_LLM_MAX_RETRIES": "1",
                "MCPA_LLM_BACKOFF_BASE_MS": "5",
            ]
            try await TestApp.run(.sqlite, configure: { $0.autoOnboard = true }, environment: environment) { app in
                _ = try await OnboardingRoutesTests.createSQLiteDataset(app, id: "panel")
                try await app.waitForDataset("panel", state: "human_review")
                _ = try await app.waitForJobs(datasetID: "panel")

                let metadata = try await app.request(.get, "/api/datasets/panel/metadata", as: .viewer)
                #expect(metadata.json?["last_edit"]?["author"] == "llm:fake-model")
                #expect(metadata.json?["metadata"]?["summary"] == "A weighted panel of respondents by gender.")
                #expect(metadata.json?["metadata"]?["provenance"]?["generator"] == "llm")
                #expect(
                    metadata.json?["metadata"]?["validation"]?["completed_tables"] == ["respondents"],
                    "the table the model left out is documented from the profile"
                )
                let prompt = try #require(server.requests(to: .chatCompletions).first)
                #expect(prompt.body.contains("respondents"), "the profile is in the prompt")
                #expect(!prompt.body.contains("sk-test-online-3b9e"), "the key travels in the header only")

                let usage = try await app.request(.get, "/api/llm-usage?dataset_id=panel", as: .viewer)
                let records = usage.json?["usage"]?.arrayValue ?? []
                #expect(records.count == 1)
                #expect(records.first?["model"] == "fake-model")
                #expect(records.first?["job_id"]?.stringValue?.isEmpty == false)
                #expect((usage.json?["total_tokens"]?.intValue ?? 0) > 0)

                let approved = try await app.request(.post, "/api/datasets/panel/review", as: .reviewer, json: ["decision": "approve"])
                #expect(approved.json?["state"] == "active")
                let jobs = try await app.waitForJobs(datasetID: "panel")
                let embed = try #require(jobs.first { $0["kind"] == "embed_documents" }, "\(jobs)")
                #expect(embed["state"] == "succeeded", "\(embed)")
                #expect(embed["result"]?["embedded"] == 2, "the dataset and its one table")
                #expect(embed["result"]?["model"] == "fake-embeddings")

                let session = try await app.openMCPSession()
                let embeddingsBefore = server.requests(to: .embeddings).count
                let (_, reply) = try await app.mcp(
                    [
                        "jsonrpc": "2.0", "id": 5, "method": "tools/call",
                        "params": ["name": "search_datasets", "arguments": ["query": "respondents by gender"]],
                    ],
                    session: session
                )
                let results = reply?["result"]?["structuredContent"]?["results"]?.arrayValue ?? []
                #expect(results.first?["dataset_id"] == "panel", "\(String(describing: reply))")
                let embedded = server.requests(to: .embeddings)
                #expect(embedded.count == embeddingsBefore + 1, "the question is embedded")
                #expect(embedded.last?.embeddingInputs == ["respondents by gender"])
            }
        }
    }
}
