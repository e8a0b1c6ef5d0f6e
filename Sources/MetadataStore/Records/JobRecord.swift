import AnalyticsCore
import Foundation

/// A durable unit of background work (profiling, drafting, drift checks, log purges).
///
/// Jobs live in the metadata store so they survive restarts and so several server processes on one
/// PostgreSQL store can share them: a worker claims a job with a lease, renews it while working, and
/// a job whose lease lapses (its worker died) is claimed again.
public struct JobRecord: Sendable, Codable, Hashable {
    public var id: String
    public var kind: String
    public var datasetID: String?
    public var payload: JSONValue
    public var state: State
    public var attempts: Int
    public var maxAttempts: Int
    /// Not claimable before this time (backoff after a failed attempt).
    public var runAfter: Date
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    /// 0–100.
    public var progress: Int
    public var message: String?
    public var result: JSONValue?
    public var error: String?
    public var cancelRequested: Bool
    public var createdAt: Date
    public var updatedAt: Date
    /// Set when the job was enqueued with a deduplication key (see ``NewJob/dedupeKey``).
    public var dedupeKey: String?

    public enum State: String, Sendable, Codable, Hashable, CaseIterable {
        case queued
        case running
        case succeeded
        case failed
        case cancelled
    }

    public init(
        id: String,
        kind: String,
        datasetID: String?,
        payload: JSONValue,
        state: State,
        attempts: Int,
        maxAttempts: Int,
        runAfter: Date,
        leaseOwner: String?,
        leaseExpiresAt: Date?,
        progress: Int,
        message: String?,
        result: JSONValue?,
        error: String?,
        cancelRequested: Bool,
        createdAt: Date,
        updatedAt: Date,
        dedupeKey: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.datasetID = datasetID
        self.payload = payload
        self.state = state
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.runAfter = runAfter
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
        self.progress = progress
        self.message = message
        self.result = result
        self.error = error
        self.cancelRequested = cancelRequested
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.dedupeKey = dedupeKey
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, payload, state, attempts, progress, message, result, error
        case datasetID = "dataset_id"
        case maxAttempts = "max_attempts"
        case runAfter = "run_after"
        case leaseOwner = "lease_owner"
        case leaseExpiresAt = "lease_expires_at"
        case cancelRequested = "cancel_requested"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case dedupeKey = "dedupe_key"
    }
}

/// What to enqueue.
public struct NewJob: Sendable, Hashable {
    public var kind: String
    public var datasetID: String?
    public var payload: JSONValue
    public var maxAttempts: Int
    public var runAfter: Date?
    /// At most one job is ever stored per key: enqueuing a key already used returns the job that
    /// holds it. Replicas that schedule the same work (a nightly purge, a periodic re-profile) use
    /// a key naming the work and its period, so only one of them enqueues it.
    public var dedupeKey: String?

    public init(
        kind: String,
        datasetID: String? = nil,
        payload: JSONValue = .object([:]),
        maxAttempts: Int = 3,
        runAfter: Date? = nil,
        dedupeKey: String? = nil
    ) {
        self.kind = kind
        self.datasetID = datasetID
        self.payload = payload
        self.maxAttempts = maxAttempts
        self.runAfter = runAfter
        self.dedupeKey = dedupeKey
    }
}
