import AnalyticsCore
import ControlPlane
import Foundation
import MCP

/// Resources (`analytics://rules`, `analytics://datasets/{id}`) and the `analyze_question` prompt.
struct AnalyticsResources: Sendable {
    let environment: ToolEnvironment

    static let datasetTemplate = "analytics://datasets/{id}"
    static let datasetPrefix = "analytics://datasets/"
    /// JSON-RPC code for an unknown resource (MCP specification, resources).
    static let resourceNotFound = -32002

    func list(principal: Principal) async throws -> ListResources.Result {
        let datasets = try await self.environment.catalog.activeDatasets(for: principal)
        var resources = [
            Resource(name: "rules", uri: AnalyticsRules.uri, title: "Analytics rules (level 0)", mimeType: "text/markdown")
        ]
        for dataset in datasets {
            resources.append(
                Resource(
                    name: dataset.id,
                    uri: Self.datasetPrefix + dataset.id,
                    title: dataset.name,
                    description: DatasetSummary.summary(of: dataset.description),
                    mimeType: "application/json"
                )
            )
        }
        return ListResources.Result(resources: resources)
    }

    var templates: ListResourceTemplates.Result {
        ListResourceTemplates.Result(templates: [
            Resource.Template(
                uriTemplate: Self.datasetTemplate,
                name: "dataset",
                title: "Dataset summary (level 1)",
                description: "Summary, weighting and tables of an active dataset.",
                mimeType: "application/json"
            )
        ])
    }

    func read(_ uri: String, principal: Principal) async throws -> ReadResource.Result {
        if uri == AnalyticsRules.uri {
            return ReadResource.Result(contents: [.text(AnalyticsRules.text, uri: uri, mimeType: "text/markdown")])
        }
        if uri.hasPrefix(Self.datasetPrefix) {
            let id = String(uri.dropFirst(Self.datasetPrefix.count))
            let datasets = try await self.environment.catalog.activeDatasets(for: principal)
            if let dataset = datasets.first(where: { $0.id == id }) {
                let profile = try await self.environment.catalog.profile(datasetID: id)
                let context = DatasetContext(dataset: dataset, profile: profile, limits: self.environment.limits).summary()
                return ReadResource.Result(contents: [.text(context.serialized(), uri: uri, mimeType: "application/json")])
            }
        }
        throw MCPError.serverError(code: Self.resourceNotFound, message: "Resource not found: \(uri)")
    }

    static let prompt = Prompt(
        name: "analyze_question",
        title: "Analyze a question",
        description: "Answer an analyst's question from the registered datasets, weighted and with bases.",
        arguments: [
            .init(name: "question", description: "The question to answer", required: true),
            .init(name: "dataset_id", description: "A dataset to use, if known", required: false),
        ]
    )

    func prompt(arguments: [String: String]?) throws -> GetPrompt.Result {
        guard let question = arguments?["question"]?.trimmingCharacters(in: .whitespacesAndNewlines), !question.isEmpty else {
            throw MCPError.invalidParams("analyze_question needs the argument 'question'.")
        }
        let start =
            arguments?["dataset_id"].flatMap { $0.isEmpty ? nil : "Use dataset '\($0)': call describe_dataset on it (level 1, then level 2)." }
            ?? "Find the right dataset with search_datasets (or list_datasets), then describe_dataset (level 1, then level 2)."
        let text = """
            Answer this question from the analytics server: \(question)

            \(start)
            Follow analytics://rules: weight every share, mean or total on weighted datasets; report unweighted n and \
            effective n; do not report segments below the minimum base; apply persona merges in SQL. Prefer one \
            run_query_plan for several independent queries. Finish with the figures, their bases and one line per \
            caveat (cautions, truncation, warnings).
            """
        return GetPrompt.Result(description: "Analyze: \(question)", messages: [.user(.text(text: text))])
    }
}
