import AnalyticsCore
import Foundation
import ServiceLifecycle

/// The registry's persistence: datasets and their history, secrets, tokens, jobs, change events,
/// the query log and profile snapshots, behind one interface with a SQLite and a PostgreSQL implementation.
///
/// Everything above this module talks to `any MetadataStore` only; one contract test suite runs
/// unchanged against both implementations. A store is a `Service` because the PostgreSQL
/// implementation owns a connection pool that must run for the life of the process.
public protocol MetadataStore: DatasetRegistry, SecretStore, TokenStore, EventLog, QueryLogStore, JobQueue, ProfileStore,
    ReviewStore, LLMUsageStore, EmbeddingStore, IdentityStore, Service
{
    /// `"sqlite"` or `"postgres"`.
    var backend: String { get }
    /// Applies pending migrations in order and returns the names it applied (empty when up to date).
    func migrate() async throws -> [String]
    /// Names of migrations already applied, oldest first.
    func appliedMigrations() async throws -> [String]
    /// Checks the store answers; throws `STORE_UNAVAILABLE` otherwise.
    func ping() async throws
}

/// Datasets, their edits and their lifecycle.
public protocol DatasetRegistry: Sendable {
    /// Inserts a new dataset with its sealed connection secret. Throws `DATASET_EXISTS` when the id is taken
    /// and `INVALID_REQUEST` when it is not a valid slug (`Dataset.isValidID`).
    /// Records version 1 in the metadata history and a `dataset.created` event. The store stamps
    /// `version` (1), `createdAt` and `updatedAt`; the returned value is what a later read returns.
    func createDataset(_ dataset: Dataset, secret: SealedSecret, actor: String) async throws -> Dataset
    /// The dataset, or `nil` if there is none with this id.
    func dataset(id: String) async throws -> Dataset?
    /// Datasets ordered by id, optionally only those in `state` and/or carrying `tag` (exact match).
    func datasets(state: LifecycleState?, tag: String?) async throws -> [Dataset]
    /// Read-modify-write in one transaction: applies `change`, bumps `version`, stamps `updatedAt`,
    /// records a `MetadataVersion` authored by `actor` and a `dataset.updated` event.
    /// Throws `DATASET_NOT_FOUND`; rethrows what `change` throws and then changes nothing. A change
    /// to `id`, `state` or `everApproved` is refused with `INVALID_REQUEST` (lifecycle moves go through
    /// ``transitionDataset(id:to:actor:note:)``); `version`, `createdAt`, `createdBy` and `updatedAt`
    /// are the store's to set.
    func updateDataset(
        id: String,
        actor: String,
        note: String?,
        _ change: @Sendable (inout Dataset) throws -> Void
    ) async throws -> Dataset
    /// Moves a dataset to `target` if the lifecycle allows it from its current state (checked inside
    /// the transaction, so concurrent moves cannot both pass). Records the transition, bumps
    /// `version`, sets `everApproved` on entering `approved`, and appends a `dataset.transitioned`
    /// event. Throws `INVALID_TRANSITION` listing the allowed targets, or `DATASET_NOT_FOUND`.
    func transitionDataset(id: String, to target: LifecycleState, actor: String, note: String?) async throws -> Dataset
    /// Lifecycle moves of a dataset, oldest first.
    func transitions(datasetID: String) async throws -> [TransitionRecord]
    /// Every recorded version of a dataset (creation and edits), oldest first.
    func metadataVersions(datasetID: String) async throws -> [MetadataVersion]
}

/// Encrypted connection secrets, one per dataset.
public protocol SecretStore: Sendable {
    /// The dataset's sealed secret, or `nil`.
    func sealedSecret(datasetID: String) async throws -> SealedSecret?
    /// Every sealed secret by dataset id (for key rotation).
    func allSealedSecrets() async throws -> [String: SealedSecret]
    /// Replaces a secret only if it is still sealed under `expectedKeyID` (compare-and-swap, so a
    /// rotation never overwrites a secret changed meanwhile). Returns whether it replaced.
    func replaceSealedSecret(datasetID: String, with secret: SealedSecret, expectedKeyID: String) async throws -> Bool
    /// Sets a dataset's secret unconditionally (a new connection URL). Throws `DATASET_NOT_FOUND`.
    func setSealedSecret(datasetID: String, _ secret: SealedSecret) async throws
}

/// API tokens, stored as SHA-256 hashes.
public protocol TokenStore: Sendable {
    /// Stores a token's hash with a new id, acting for `userID`. A hash already stored is `CONFLICT`.
    func createToken(name: String, role: Role, hash: String, userID: String) async throws -> APIToken
    /// The token with this hash, revoked or not.
    func token(hash: String) async throws -> APIToken?
    /// Every token, revoked or not, oldest first.
    func tokens() async throws -> [APIToken]
    /// Throws `TOKEN_NOT_FOUND`. Revoking twice is not an error and keeps the first revocation time.
    func revokeToken(id: String) async throws -> APIToken
    /// Records when a token was last used. Throws `TOKEN_NOT_FOUND`.
    func touchToken(id: String, at: Date) async throws
}

/// Append-only change events that drive live reloads within and across processes.
public protocol EventLog: Sendable {
    /// Appends an event; ids increase in commit order, so a reader that remembers the last id it
    /// saw never skips one. On PostgreSQL this also notifies `mcpa_events` listeners on commit.
    func appendEvent(kind: ChangeEvent.Kind, datasetID: String?, payload: JSONValue) async throws -> ChangeEvent
    /// Events with id greater than `id`, oldest first.
    func events(after id: Int64, limit: Int) async throws -> [ChangeEvent]
    /// The newest event id, 0 when there is none.
    func latestEventID() async throws -> Int64
}

/// The audit log of queries and tool calls.
public protocol QueryLogStore: Sendable {
    /// Appends entries in one transaction; an entry whose id is already stored is skipped, so a
    /// retried batch never duplicates entries.
    func appendQueryLog(_ entries: [QueryLogEntry]) async throws
    /// Newest first.
    func queryLog(_ filter: QueryLogFilter) async throws -> [QueryLogEntry]
    /// How many entries the log holds.
    func countQueryLog() async throws -> Int
    /// Deletes entries older than `date`; returns how many.
    func purgeQueryLog(before date: Date) async throws -> Int
}

/// Durable background jobs with leases.
public protocol JobQueue: Sendable {
    /// Stores a queued job. An empty kind or `maxAttempts < 1` is `INVALID_REQUEST`. When the job has
    /// a `dedupeKey` that a stored job already holds (in any state), nothing is stored and that job
    /// is returned — atomically, so concurrent enqueuers with one key get one job.
    func enqueueJob(_ job: NewJob) async throws -> JobRecord
    /// Claims the oldest runnable job of one of `kinds` (queued and due, or running with a lapsed
    /// lease) for `workerID`, incrementing `attempts`. PostgreSQL uses `FOR UPDATE SKIP LOCKED`.
    /// A job whose lease lapsed on its last attempt ends `failed`, one whose cancellation was
    /// requested ends `cancelled`; neither is claimed again.
    func claimJob(kinds: [String], workerID: String, leaseSeconds: Double) async throws -> JobRecord?
    /// Renews the lease and records progress; returns the job so the worker sees `cancelRequested`.
    /// Throws `CONFLICT` if `workerID` no longer holds the lease.
    /// `progress` is clamped to 0–100; a `nil` message keeps the last one. Unknown ids are `JOB_NOT_FOUND`.
    func heartbeatJob(id: String, workerID: String, leaseSeconds: Double, progress: Int, message: String?) async throws -> JobRecord
    /// Marks the job `succeeded` with `result`. Throws `CONFLICT` if `workerID` no longer holds the lease.
    func completeJob(id: String, workerID: String, result: JSONValue) async throws -> JobRecord
    /// Records a failed attempt: back to `queued` after `retryAfter` seconds while attempts remain and
    /// `retryable` is true, else `failed` (`cancelled` if a cancellation was requested). Throws
    /// `CONFLICT` if `workerID` no longer holds the lease.
    func failJob(id: String, workerID: String, error: String, retryAfter: Double, retryable: Bool) async throws -> JobRecord
    /// Hands a running job back to the queue at once without counting its attempt, for a worker that
    /// stops gracefully mid-job (`cancelled` if a cancellation was requested). Throws `CONFLICT` if
    /// `workerID` no longer holds the lease.
    func releaseJob(id: String, workerID: String) async throws -> JobRecord
    /// Queued jobs are cancelled at once; running ones get `cancelRequested` and stop at their next heartbeat.
    /// Finished jobs are returned unchanged. Throws `JOB_NOT_FOUND`.
    func cancelJob(id: String) async throws -> JobRecord
    /// Marks a running job cancelled once its worker has stopped.
    func markJobCancelled(id: String, workerID: String) async throws -> JobRecord
    /// The job, or `nil`.
    func job(id: String) async throws -> JobRecord?
    /// Jobs newest first, optionally only those of one dataset.
    func jobs(datasetID: String?, limit: Int) async throws -> [JobRecord]
}

extension JobQueue {
    /// A retryable failed attempt (see ``failJob(id:workerID:error:retryAfter:retryable:)``).
    public func failJob(id: String, workerID: String, error: String, retryAfter: Double) async throws -> JobRecord {
        try await self.failJob(id: id, workerID: workerID, error: error, retryAfter: retryAfter, retryable: true)
    }
}
