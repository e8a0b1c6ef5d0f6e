import AnalyticsCore
import DataPlane
import Foundation
import Logging
import MetadataStore

/// The registry's use cases — register, read, edit, retire and move datasets through their
/// lifecycle — shared by the REST API and the CLI so both enforce the same rules and roles.
public struct DatasetService: Sendable {
    let store: any MetadataStore
    let vault: SecretVault
    let probe: ConnectionProbe
    let logger: Logger
    /// Who may approve (self-approval rule); the server sets it from `required-reviewers`.
    public var reviewPolicy = ReviewPolicy()
    /// When set, registering a dataset starts its onboarding pipeline (profile → quality → draft).
    public var onboarding: OnboardingPipeline?
    /// Refuse logins the credential audit warns about instead of registering them with warnings.
    public var refusePrivilegedLogins = false

    public init(store: any MetadataStore, vault: SecretVault, probe: ConnectionProbe, logger: Logger) {
        self.store = store
        self.vault = vault
        self.probe = probe
        self.logger = logger
    }

    /// Validates the request, checks the database answers, seals the connection URL and stores the
    /// dataset in `draft`.
    public func create(_ request: CreateDatasetRequest, by principal: Principal) async throws -> Dataset {
        try principal.require(.manageDatasets)
        let name = try Self.validName(request.name)
        let id = request.id ?? Dataset.slug(from: name)
        guard Dataset.isValidID(id) else {
            throw AnalyticsError.invalidRequest(
                "'\(id)' is not a valid dataset id.",
                hint: "Use 2–63 characters: lowercase letters, digits and underscores, starting with a letter."
            )
        }
        let url = try ConnectionURL(request.connectionURL)
        let settings = request.settings ?? DatasetSettings()
        try settings.validate()
        let tags = try Self.validTags(request.tags ?? [])
        if try await self.store.dataset(id: id) != nil {
            throw AnalyticsError(.datasetExists, "A dataset with id '\(id)' already exists.", hint: "Choose another id.")
        }
        let warnings = try await self.probe.check(url)
        try self.checkPrivileges(warnings, url: url)
        var dataset = Dataset(
            id: id,
            name: name,
            description: request.description ?? "",
            tags: tags,
            owner: request.owner,
            defaultPersona: request.defaultPersona,
            connectionKind: url.kind,
            redactedURL: url.redacted,
            settings: settings,
            createdBy: principal.id
        )
        dataset.warnings = warnings
        let created = try await self.store.createDataset(dataset, secret: try self.vault.seal(url.raw), actor: principal.id)
        self.logger.info("dataset registered", metadata: ["mcpa.dataset": "\(id)", "mcpa.principal": "\(principal.id)"])
        if let onboarding = self.onboarding {
            do {
                try await onboarding.start(datasetID: id, by: principal)
            } catch {
                // The dataset is registered; it waits in draft until someone profiles it.
                let code = (error as? AnalyticsError)?.code.rawValue ?? "unknown"
                self.logger.error("could not start onboarding", metadata: ["mcpa.dataset": "\(id)", "mcpa.error.code": "\(code)"])
            }
        }
        return created
    }

    public func list(state: LifecycleState?, tag: String?, by principal: Principal) async throws -> [Dataset] {
        try principal.require(.readRegistry)
        return try await self.store.datasets(state: state, tag: tag)
    }

    public func get(_ id: String, by principal: Principal) async throws -> Dataset {
        try principal.require(.readRegistry)
        guard let dataset = try await self.store.dataset(id: id) else { throw AnalyticsError.datasetNotFound(id) }
        return dataset
    }

    /// Applies a partial edit as one new version authored by `principal`.
    public func update(_ id: String, _ patch: DatasetPatch, by principal: Principal) async throws -> Dataset {
        try principal.require(patch.needsAdmin ? .manageDatasets : .editMetadata)
        let name = try patch.name.map(Self.validName)
        let tags = try patch.tags.map(Self.validTags)
        try patch.settings?.validate()
        let newURL = try patch.connectionURL.map { try ConnectionURL($0) }
        var audited: [String]?
        if let newURL {
            _ = try await self.get(id, by: principal)
            audited = try await self.probe.check(newURL)
            try self.checkPrivileges(audited ?? [], url: newURL)
        }
        let newWarnings = audited
        let updated = try await self.store.updateDataset(id: id, actor: principal.id, note: patch.note) { dataset in
            if let name { dataset.name = name }
            if let description = patch.description { dataset.description = description }
            if let tags { dataset.tags = tags }
            if let owner = patch.owner { dataset.owner = owner.isEmpty ? nil : owner }
            if let persona = patch.defaultPersona { dataset.defaultPersona = persona.isEmpty ? nil : persona }
            if let settings = patch.settings { dataset.settings = settings }
            if let newWarnings { dataset.warnings = newWarnings }
            if let newURL {
                dataset.connectionKind = newURL.kind
                dataset.redactedURL = newURL.redacted
            }
        }
        if let newURL {
            try await self.store.setSealedSecret(datasetID: id, try self.vault.seal(newURL.raw))
        }
        return updated
    }

    /// Soft delete: the dataset moves to `inactive` and disappears from MCP clients; history stays.
    public func retire(_ id: String, note: String?, by principal: Principal) async throws -> Dataset {
        try principal.require(.manageDatasets)
        let current = try await self.get(id, by: principal)
        if current.state == .inactive { return current }
        return try await self.store.transitionDataset(id: id, to: .inactive, actor: principal.id, note: note ?? "deleted")
    }

    public func transition(_ id: String, _ request: TransitionRequest, by principal: Principal) async throws -> Dataset {
        try principal.require(.reviewDatasets)
        if request.to == .approved { try await self.checkApproval(id, by: principal) }
        return try await self.store.transitionDataset(id: id, to: request.to, actor: principal.id, note: request.note)
    }

    /// Applies the ``ReviewPolicy``: throws `SELF_APPROVAL_REFUSED` (or `DATASET_NOT_FOUND`).
    func checkApproval(_ id: String, by principal: Principal) async throws {
        guard self.reviewPolicy.requiredReviewers > 1 else { return }
        let dataset = try await self.get(id, by: principal)
        try self.reviewPolicy.checkApproval(of: dataset, history: try await self.store.metadataVersions(datasetID: id), by: principal)
    }

    public func history(_ id: String, by principal: Principal) async throws -> (transitions: [TransitionRecord], versions: [MetadataVersion]) {
        _ = try await self.get(id, by: principal)
        return (try await self.store.transitions(datasetID: id), try await self.store.metadataVersions(datasetID: id))
    }

    /// `PRIVILEGED_LOGIN` for a login the audit warned about, when such logins are refused.
    func checkPrivileges(_ warnings: [String], url: ConnectionURL) throws {
        guard self.refusePrivilegedLogins, !warnings.isEmpty else { return }
        throw AnalyticsError(
            .privilegedLogin,
            "The login of \(url.redacted) can do more than read: \(warnings.joined(separator: " "))",
            hint: "Register the dataset with a login that may only SELECT (and USAGE on its schemas).",
            details: ["warnings": .array(warnings.map(JSONValue.string))]
        )
    }

    /// The decrypted connection URL, for connectors only; never returned to clients.
    public func connectionURL(for id: String) async throws -> ConnectionURL {
        guard let sealed = try await self.store.sealedSecret(datasetID: id) else { throw AnalyticsError.datasetNotFound(id) }
        return try ConnectionURL(try self.vault.open(sealed))
    }

    static func validName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(trimmed.count) else {
            throw AnalyticsError.invalidRequest("A dataset name must have 1–200 characters.", hint: "Give a short descriptive name.")
        }
        return trimmed
    }

    static func validTags(_ tags: [String]) throws -> [String] {
        var seen: [String] = []
        for tag in tags {
            let normalized = tag.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            guard (1...40).contains(normalized.count) else {
                throw AnalyticsError.invalidRequest("Tag '\(tag)' must have 1–40 characters.")
            }
            if !seen.contains(normalized) { seen.append(normalized) }
        }
        guard seen.count <= 20 else { throw AnalyticsError.invalidRequest("A dataset may have at most 20 tags.") }
        return seen
    }
}

extension DatasetService {
    /// Approves a dataset under review and activates it, so it is queryable at once (DESIGN §5.4).
    public func approve(_ id: String, note: String?, by principal: Principal) async throws -> Dataset {
        try principal.require(.reviewDatasets)
        try await self.checkApproval(id, by: principal)
        _ = try await self.store.transitionDataset(id: id, to: .approved, actor: principal.id, note: note)
        return try await self.store.transitionDataset(id: id, to: .active, actor: principal.id, note: "activated on approval")
    }
}
