/// The kinds of review items the pipeline raises.
public enum ReviewItemKind {
    /// A scheduled (or manual) re-profile found drift; details hold the report and, when refreshed
    /// drafts are on, a `proposed_metadata` document.
    public static let drift = "drift"
    /// A step of a new dataset's onboarding (profile, draft) failed for good.
    public static let onboardingFailed = "onboarding_failed"
    /// A background job about a dataset (scheduled profile, drift check, draft) failed for good.
    public static let jobFailed = "job_failed"
    /// A draft made while the dataset already had reviewed metadata: proposed, not applied.
    public static let metadataDraft = "metadata_draft"
}
