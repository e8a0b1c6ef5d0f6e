import AnalyticsCore
import Foundation

/// Dataset rules both stores apply identically inside their transactions.
enum RegistryRules {
    /// The dataset as `createDataset` stores it: version 1, stamped with the store's clock.
    static func prepareNew(_ dataset: Dataset, now: Date) throws -> Dataset {
        guard Dataset.isValidID(dataset.id) else {
            throw AnalyticsError.invalidRequest(
                "'\(dataset.id)' is not a valid dataset id.",
                hint: "Use 2-63 characters: a lowercase letter, then lowercase letters, digits or underscores."
            )
        }
        var stored = dataset
        stored.version = 1
        stored.createdAt = now
        stored.updatedAt = now
        return stored
    }

    /// Applies an edit. Identity and lifecycle stay under the store's control: changing `id`, `state`
    /// or `everApproved` is refused (lifecycle moves go through `transitionDataset`), and `version`,
    /// `createdAt`, `createdBy` and `updatedAt` are kept or stamped by the store.
    static func applyUpdate(
        to current: Dataset,
        now: Date,
        _ change: (inout Dataset) throws -> Void
    ) throws -> Dataset {
        var updated = current
        try change(&updated)
        guard updated.id == current.id else {
            throw AnalyticsError.invalidRequest("A dataset's id cannot be changed.", hint: "Register a new dataset instead.")
        }
        guard updated.state == current.state, updated.everApproved == current.everApproved else {
            throw AnalyticsError.invalidRequest(
                "A dataset's lifecycle state cannot be changed by an edit.",
                hint: "Use POST /api/datasets/{id}/transitions."
            )
        }
        updated.version = current.version + 1
        updated.createdAt = current.createdAt
        updated.createdBy = current.createdBy
        updated.updatedAt = now
        return updated
    }

    /// Applies a lifecycle move, or throws `INVALID_TRANSITION` listing the allowed targets.
    static func applyTransition(to current: Dataset, target: LifecycleState, now: Date) throws -> Dataset {
        let allowed = current.state.allowedTargets(everApproved: current.everApproved)
        guard allowed.contains(target) else {
            throw AnalyticsError.invalidTransition(from: current.state, to: target, allowed: allowed)
        }
        var moved = current
        moved.state = target
        if target == .approved { moved.everApproved = true }
        moved.version = current.version + 1
        moved.updatedAt = now
        return moved
    }

    static func createdPayload(_ dataset: Dataset) -> JSONValue {
        ["state": .string(dataset.state.rawValue), "version": .int(Int64(dataset.version))]
    }

    static func updatedPayload(_ dataset: Dataset) -> JSONValue {
        ["version": .int(Int64(dataset.version))]
    }

    static func transitionedPayload(from: LifecycleState, _ dataset: Dataset) -> JSONValue {
        [
            "from": .string(from.rawValue),
            "to": .string(dataset.state.rawValue),
            "version": .int(Int64(dataset.version)),
        ]
    }

    static func tokenNotFound(_ id: String) -> AnalyticsError {
        AnalyticsError(.tokenNotFound, "No API token with id '\(id)'.", hint: "List tokens with `mcp-analytics tokens list`.")
    }

    static func tokenHashTaken() -> AnalyticsError {
        AnalyticsError(.conflict, "A token with this hash already exists.", hint: "Generate a new token; never reuse one.")
    }

    static func jobNotFound(_ id: String) -> AnalyticsError {
        AnalyticsError(.jobNotFound, "No job with id '\(id)'.", hint: "List jobs with GET /api/jobs.")
    }

    static func datasetExists(_ id: String) -> AnalyticsError {
        AnalyticsError(.datasetExists, "A dataset with id '\(id)' already exists.", hint: "Choose another id or edit the existing dataset.")
    }

    static func leaseLost(_ id: String, workerID: String) -> AnalyticsError {
        AnalyticsError(
            .conflict,
            "Worker '\(workerID)' no longer holds the lease on job '\(id)'.",
            hint: "The lease lapsed and another worker may have claimed the job; stop working on it."
        )
    }

    static func clampProgress(_ progress: Int) -> Int {
        min(max(progress, 0), 100)
    }

    static func newID() -> String {
        UUID().uuidString.lowercased()
    }
}
