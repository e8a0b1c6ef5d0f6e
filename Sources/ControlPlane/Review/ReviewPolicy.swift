import AnalyticsCore
import MetadataStore

/// Who may approve a dataset (DESIGN §5.4, issue 6: self-approval).
///
/// The rule, exactly:
/// - With `requiredReviewers` = 1 (the default) anyone whose role may review (reviewer, admin)
///   approves, including whoever registered or edited the dataset.
/// - With `requiredReviewers` ≥ 2 the four-eyes rule holds: approval is refused with
///   `SELF_APPROVAL_REFUSED` (403) when the approving principal's name is the dataset's
///   `created_by`, or is the author of the latest documentation edit — the newest version in the
///   dataset's history that changed its name, description, tags, weighting or `metadata`
///   document. Drafts by `llm:<model>` or `offline-drafter` are edits too, so after a fresh draft
///   only the creator is excluded. Values above 2 behave like 2 (one independent approver).
/// - The server itself (`Principal.system`, e.g. the demo bootstrap) is exempt.
///
/// It applies to every way into `approved`: `POST …/review`, `POST …/transitions {"to":"approved"}`
/// and `mcp-analytics datasets approve`.
public struct ReviewPolicy: Sendable, Hashable {
    public var requiredReviewers: Int

    public init(requiredReviewers: Int = 1) {
        self.requiredReviewers = max(requiredReviewers, 1)
    }

    /// Throws `SELF_APPROVAL_REFUSED` when `principal` may not approve `dataset` under this policy.
    public func checkApproval(of dataset: Dataset, history: [MetadataVersion], by principal: Principal) throws {
        guard self.requiredReviewers > 1, principal.id != Principal.system.id else { return }
        if principal.id == dataset.createdBy {
            throw self.refusal(dataset, reason: "registered it")
        }
        if let author = Self.latestDocumentationAuthor(history), author == principal.id {
            throw self.refusal(dataset, reason: "made the latest documentation edit")
        }
    }

    /// The author of the newest version whose documentation differs from the version before it.
    public static func latestDocumentationAuthor(_ history: [MetadataVersion]) -> String? {
        var previous: Dataset?
        var author: String?
        for version in history.sorted(by: { $0.version < $1.version }) {
            let snapshot = version.snapshot
            if let before = previous {
                if before.name != snapshot.name || before.description != snapshot.description || before.tags != snapshot.tags
                    || before.weighting != snapshot.weighting || before.metadata != snapshot.metadata
                {
                    author = version.author
                }
            } else {
                author = version.author
            }
            previous = snapshot
        }
        return author
    }

    private func refusal(_ dataset: Dataset, reason: String) -> AnalyticsError {
        AnalyticsError(
            .selfApprovalRefused,
            "You \(reason) of dataset '\(dataset.id)', and this server requires \(self.requiredReviewers) reviewers: someone else must approve it.",
            hint: "Ask another reviewer to approve; the server's required_reviewers setting is \(self.requiredReviewers)."
        )
    }
}
