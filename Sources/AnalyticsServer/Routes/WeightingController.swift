import AnalyticsCore
import ControlPlane
import DataPlane
import Foundation
import Hummingbird

/// Weighting configs, personas and weighted breakdowns over HTTP (DESIGN §5.2).
///
/// `GET|PUT /api/datasets/{id}/weighting`, `GET /api/datasets/{id}/personas`,
/// `PUT|DELETE /api/datasets/{id}/personas/{name}`, `POST /api/datasets/{id}/personas/resolve`
/// and `POST /api/breakdown`; roles as in ``WeightingService``.
struct WeightingController {
    let service: WeightingService
    let engine: QueryEngine

    func addRoutes(to api: RouteBuilder) {
        api.on(.get, "/datasets/{id}/weighting") { _, context in
            let (dataset, config) = try await self.service.config(context.parameters.require("id"), by: context.requirePrincipal())
            return APIResponse.json(Self.configBody(dataset, config.document, report: nil))
        }
        api.on(.put, "/datasets/{id}/weighting") { request, context in
            let document = try await request.decodeJSON(as: JSONValue.self, allowedKeys: WeightingConfig.documentKeys, context: context)
            let note = request.uri.queryParameters["note"].map(String.init)
            let (dataset, report) = try await self.service.setConfig(
                context.parameters.require("id"),
                document: document,
                note: note,
                by: context.requirePrincipal()
            )
            return APIResponse.json(Self.configBody(dataset, dataset.weighting ?? .null, report: report))
        }
        api.on(.get, "/datasets/{id}/personas") { _, context in
            let personas = try await self.service.personas(context.parameters.require("id"), by: context.requirePrincipal())
            return APIResponse.json(.object(["personas": .array(personas.map(\.document))]))
        }
        api.on(.put, "/datasets/{id}/personas/{name}") { request, context in
            let name = try context.parameters.require("name")
            var body = try await request.decodeJSON(as: JSONValue.self, allowedKeys: ["name", "label", "description", "filters"], context: context)
            if let given = body["name"]?.stringValue, given != name {
                throw AnalyticsError.invalidRequest(
                    "The body names persona '\(given)' but the path names '\(name)'.",
                    hint: "Leave name out of the body."
                )
            }
            if var object = body.objectValue {
                object["name"] = .string(name)
                body = .object(object)
            }
            let persona = try await self.service.putPersona(
                context.parameters.require("id"),
                try PersonaDefinition(document: body),
                by: context.requirePrincipal()
            )
            return APIResponse.json(persona.document)
        }
        api.on(.delete, "/datasets/{id}/personas/{name}") { _, context in
            let name = try context.parameters.require("name")
            try await self.service.deletePersona(context.parameters.require("id"), name: name, by: context.requirePrincipal())
            return APIResponse.json(.object(["deleted": .string(name)]))
        }
        api.on(.post, "/datasets/{id}/personas/resolve") { request, context in
            let body = try await request.decodeJSON(as: JSONValue.self, allowedKeys: ["text"], context: context)
            guard let text = body["text"]?.stringValue else {
                throw AnalyticsError.invalidRequest("Missing required field 'text'.", hint: "Send {\"text\": \"Female 25-34 NCCS A\"}.")
            }
            let segment = try await self.service.resolvePersona(context.parameters.require("id"), text: text, by: context.requirePrincipal())
            return APIResponse.json(segment.document)
        }
        api.on(.post, "/breakdown") { request, context in
            let body = try await request.decodeJSON(as: JSONValue.self, allowedKeys: BreakdownRequest.documentKeys, context: context)
            let breakdown = try BreakdownRequest(document: body)
            let caller = CallerContext(principal: try context.requirePrincipal(), tool: "POST /api/breakdown")
            return APIResponse.json(try await self.engine.breakdown(breakdown, caller: caller).document)
        }
    }

    static func configBody(_ dataset: Dataset, _ document: JSONValue, report: WeightingValidationReport?) -> JSONValue {
        var body: [String: JSONValue] = [
            "dataset_id": .string(dataset.id),
            "version": .int(Int64(dataset.version)),
            "weighting": document,
        ]
        if let report { body["validation"] = report.document }
        return .object(body)
    }
}
