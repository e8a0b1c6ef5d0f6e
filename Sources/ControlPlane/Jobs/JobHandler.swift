import AnalyticsCore
import MetadataStore

/// Runs one kind of job for the ``JobWorker``.
///
/// `run` does the work and returns the job's result document. It reports progress through the
/// context, and stops (throwing) when its task is cancelled — the worker cancels it when a client
/// cancels the job, when the worker loses the lease, and when the server shuts down. Errors decide
/// what happens next (see ``JobFailure``): retryable ones are retried with backoff until the
/// attempts run out.
public protocol JobHandler: Sendable {
    /// The ``JobKind`` this handler runs.
    var kind: String { get }
    func run(_ job: JobRecord, context: JobContext) async throws -> JSONValue
    /// Called once after the job ended for good without succeeding (`failed` or `cancelled`), so a
    /// pipeline can leave things tidy — e.g. move a dataset back to `draft` with a note.
    func jobEnded(_ job: JobRecord, context: JobContext) async
}

extension JobHandler {
    public func jobEnded(_ job: JobRecord, context: JobContext) async {}
}
