/// The kinds of background work the server runs as durable jobs.
public enum JobKind {
    /// Profile a dataset, run the quality rules, store the snapshot; payload `then` names follow-ups.
    public static let profile = "profile"
    /// Draft a dataset's documentation from its latest profile (LLM or offline drafter).
    public static let draftMetadata = "draft_metadata"
    /// Compare the two latest profile snapshots; drift raises a review item.
    public static let driftCheck = "drift_check"
    /// Embed a dataset's search documents (semantic search; only with an embeddings endpoint).
    public static let embedDocuments = "embed_documents"

    /// Every kind, in pipeline order.
    public static let all = [profile, draftMetadata, driftCheck, embedDocuments]
}
