import AnalyticsCore
import ControlPlane
import Foundation
import Testing

@testable import MCPTools

@Suite("search_datasets, search and fetch over the BM25 index")
struct SearchToolsTests {
    @Test("search_datasets ranks the dataset whose tables and values match first")
    func searchDatasets() async throws {
        try await ToolTestbed.run { bed in
            let result = try await bed.call("search_datasets", ["query": "TV viewing minutes by channel in Mumbai"])
            let results = try #require(result.structured?["results"]?.arrayValue)
            #expect(results.first?["dataset_id"] == "tv_panel")
            #expect(results.first?["matched_tables"]?.arrayValue?.contains("viewing_events") == true)
            let grocery = try await bed.call("search_datasets", ["query": "grocery shoppers store choice", "limit": 1])
            #expect(grocery.structured?["results"]?.arrayValue?.compactMap { $0["dataset_id"]?.stringValue } == ["retail_survey"])
            let nothing = try await bed.call("search_datasets", ["query": "zebra migration"])
            #expect(nothing.structured?["results"] == [])
        }
    }

    @Test("personal values are never indexed")
    func piiNotIndexed() async throws {
        try await ToolTestbed.run { bed in
            let result = try await bed.call("search", ["query": "zoe@example.com"])
            #expect(result.structured?["results"] == [])
        }
    }

    @Test("search answers ChatGPT's shape, also as one JSON text item; fetch returns the document")
    func searchAndFetch() async throws {
        try await ToolTestbed.run { bed in
            let result = try await bed.call("search", ["query": "respondents gender"])
            let structured = try #require(result.structured)
            #expect(result.content.count == 1)
            #expect(try JSONValue.parse(result.text ?? "") == structured)
            let results = try #require(structured["results"]?.arrayValue)
            #expect(results.first?["id"] == "tv_panel/respondents")
            for item in results {
                #expect(Set(item.objectValue?.keys.map { $0 } ?? []) == ["id", "title", "url"])
            }
            let fetched = try await bed.call("fetch", ["id": "tv_panel/respondents"])
            let document = try #require(fetched.structured)
            #expect(try JSONValue.parse(fetched.text ?? "") == document)
            #expect(document["id"] == "tv_panel/respondents")
            #expect(document["url"] == "analytics://datasets/tv_panel#respondents")
            #expect(document["metadata"]?["table"] == "respondents")
            let text = try #require(document["text"]?.stringValue)
            #expect(text.contains("- gender text [dimension]"))
            #expect(text.contains("- email text (personal data, values masked)"))
            let dataset = try await bed.call("fetch", ["id": "retail_survey"])
            #expect(dataset.structured?["text"]?.stringValue?.contains("Tables: not profiled yet.") == true)
        }
    }

    @Test("the tokenizer splits identifiers, folds plurals and drops stop words")
    func tokenizer() {
        #expect(SearchTokenizer.terms("hh_income") == ["hh_income", "hh", "income"])
        #expect(SearchTokenizer.terms("weightFactor") == ["weight_factor", "weight", "factor"])
        #expect(SearchTokenizer.terms("How many respondents watch the channels?") == ["respondent", "watch", "channel"])
        #expect(SearchTokenizer.terms("categories classes status") == ["category", "class", "status"])
    }

    @Test("BM25 prefers rarer terms and shorter documents, ties broken by id")
    func bm25() {
        let documents = [
            SearchDocument(id: "a", datasetID: "a", kind: .dataset, title: "A", fields: [.init("panel panel weight")], text: "", url: ""),
            SearchDocument(
                id: "b",
                datasetID: "b",
                kind: .dataset,
                title: "B",
                fields: [.init("panel survey of shoppers in many stores and cities")],
                text: "",
                url: ""
            ),
            SearchDocument(id: "c", datasetID: "c", kind: .dataset, title: "C", fields: [.init("weight")], text: "", url: ""),
        ]
        let index = BM25Index(documents: documents)
        #expect(index.search("panel", limit: 5).map(\.document.id) == ["a", "b"])
        #expect(index.search("shoppers weight", limit: 5).first?.matchedTerms == ["shopper"])
        #expect(index.search("the of", limit: 5).isEmpty)
        #expect(index.search("panel", limit: 1).count == 1)
    }
}
