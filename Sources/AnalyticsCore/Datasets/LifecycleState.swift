/// Where a dataset is on its way from registration to being queryable (DESIGN §5.4).
///
/// `draft → metadata_pending → human_review → approved → active ⇄ inactive`, plus
/// `human_review → draft` when a reviewer requests changes. Only `active` datasets are visible to
/// MCP clients and the query engine.
public enum LifecycleState: String, Sendable, Codable, CaseIterable, Hashable {
    case draft
    case metadataPending = "metadata_pending"
    case humanReview = "human_review"
    case approved
    case active
    case inactive

    /// The states a dataset may move to from this one.
    ///
    /// Any dataset may be retired to `inactive` (that is what a delete does: it is soft). An inactive
    /// dataset that was never approved cannot be switched on directly: it goes back to `draft` and
    /// through review, so a soft-deleted draft never becomes queryable unreviewed.
    public func allowedTargets(everApproved: Bool) -> [LifecycleState] {
        switch self {
        case .draft: [.metadataPending, .inactive]
        case .metadataPending: [.humanReview, .draft, .inactive]
        case .humanReview: [.approved, .draft, .inactive]
        case .approved: [.active, .inactive]
        case .active: [.inactive]
        case .inactive: everApproved ? [.active, .draft] : [.draft]
        }
    }

    public func canTransition(to target: LifecycleState, everApproved: Bool) -> Bool {
        self.allowedTargets(everApproved: everApproved).contains(target)
    }
}

extension AnalyticsError {
    /// The 409 body for a refused transition, listing what is allowed instead.
    public static func invalidTransition(
        from: LifecycleState,
        to: LifecycleState,
        allowed: [LifecycleState]
    ) -> AnalyticsError {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        return AnalyticsError(
            .invalidTransition,
            "A dataset in state '\(from.rawValue)' cannot move to '\(to.rawValue)'.",
            hint: allowed.isEmpty ? "No transition is allowed from this state." : "Allowed targets: \(list).",
            details: ["from": .string(from.rawValue), "allowed": .array(allowed.map { .string($0.rawValue) })]
        )
    }
}
