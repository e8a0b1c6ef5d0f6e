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
        updatedAt: Date
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
    }
}

/// What to enqueue.
public struct NewJob: Sendable, Hashable {
    public var kind: String
    public var datasetID: String?
    public var payload: JSONValue
    public var maxAttempts: Int
    public var runAfter: Date?

    public init(kind: String, datasetID: String? = nil, payload: JSONValue = .object([:]), maxAttempts: Int = 3, runAfter: Date? = nil) {
        self.kind = kind
        self.datasetID = datasetID
        self.payload = payload
        self.maxAttempts = maxAttempts
        self.runAfter = runAfter
    }
}
