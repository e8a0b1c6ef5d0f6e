import AnalyticsCore
import ControlPlane
import Foundation
import Hummingbird
import MetadataStore

/// The dataset registry API (DESIGN §4): register, list, read, edit, retire, and lifecycle moves.
struct DatasetController {
    let service: DatasetService
    /// Resolves the user ids of the audit trail to display names.
    let users: any IdentityStore

    func addRoutes(to api: RouteBuilder) {
        api.on(.post, "/datasets") { request, context in
            let body = try await request.decodeJSON(
                as: CreateDatasetRequest.self,
                allowedKeys: CreateDatasetRequest.CodingKeys.allCases.map(\.rawValue),
                context: context
            )
            let dataset = try await self.service.create(body, by: context.requirePrincipal())
            return try APIResponse.json(dataset, status: .created)
        }
        api.on(.get, "/datasets") { request, context in
            let state = try request.uri.queryParameters["state"].map { try Self.state(String($0)) }
            let tag = request.uri.queryParameters["tag"].map { String($0).lowercased() }
            let datasets = try await self.service.list(state: state, tag: tag, by: context.requirePrincipal())
            return try APIResponse.json(["datasets": datasets])
        }
        api.on(.get, "/datasets/{id}") { _, context in
            try APIResponse.json(try await self.service.get(context.parameters.require("id"), by: context.requirePrincipal()))
        }
        api.on(.patch, "/datasets/{id}") { request, context in
            let patch = try await request.decodeJSON(
                as: DatasetPatch.self,
                allowedKeys: DatasetPatch.CodingKeys.allCases.map(\.rawValue),
                context: context
            )
            return try APIResponse.json(try await self.service.update(context.parameters.require("id"), patch, by: context.requirePrincipal()))
        }
        api.on(.delete, "/datasets/{id}") { _, context in
            try APIResponse.json(try await self.service.retire(context.parameters.require("id"), note: nil, by: context.requirePrincipal()))
        }
        api.on(.post, "/datasets/{id}/transitions") { request, context in
            let body = try await request.decodeJSON(
                as: TransitionRequest.self,
                allowedKeys: TransitionRequest.CodingKeys.allCases.map(\.rawValue),
                context: context
            )
            return try APIResponse.json(try await self.service.transition(context.parameters.require("id"), body, by: context.requirePrincipal()))
        }
        api.on(.get, "/datasets/{id}/history") { _, context in
            let history = try await self.service.history(context.parameters.require("id"), by: context.requirePrincipal())
            let ids = Set(history.transitions.map(\.actor) + history.versions.map(\.author))
            var names: [String: String] = [:]
            for user in try await self.users.users() where ids.contains(user.id) { names[user.id] = user.displayName }
            return try APIResponse.json(DatasetHistory(transitions: history.transitions, versions: history.versions, actorNames: names))
        }
    }

    static func state(_ raw: String) throws -> LifecycleState {
        guard let state = LifecycleState(rawValue: raw) else {
            throw AnalyticsError.invalidRequest(
                "Unknown state '\(raw)'.",
                hint: "Use one of: \(LifecycleState.allCases.map(\.rawValue).joined(separator: ", "))."
            )
        }
        return state
    }
}

/// Audit trail of one dataset: lifecycle moves and metadata versions.
struct DatasetHistory: Encodable {
    var transitions: [TransitionRecord]
    var versions: [MetadataVersion]
    /// Display names of the users the transitions and versions name by id.
    var actorNames: [String: String]

    enum CodingKeys: String, CodingKey {
        case transitions, versions
        case actorNames = "actor_names"
    }
}
