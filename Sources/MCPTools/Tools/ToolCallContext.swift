import AnalyticsCore
import Foundation
import MCP
import Synchronization

/// What one tool call knows: who calls through which client, the datasets active at call time,
/// shared dependencies, and where to report progress.
public struct ToolCallContext: Sendable {
    public var caller: CallerContext
    public var environment: ToolEnvironment
    /// Active datasets when the call started, ordered by id.
    public var active: [Dataset]
    /// Set when the request carried a progress token.
    public var progress: ProgressReporter?
    let handover: EngineHandover

    public init(caller: CallerContext, environment: ToolEnvironment, active: [Dataset], progress: ProgressReporter?) {
        self.caller = caller
        self.environment = environment
        self.active = active
        self.progress = progress
        self.handover = EngineHandover()
    }

    public var activeIDs: [String] { self.active.map(\.id) }

    public func dataset(_ id: String) -> Dataset? {
        self.active.first { $0.id == id }
    }

    /// Call just before handing work to the engine: from then on the engine's own log entries
    /// record the call, and the tool layer must not log it again.
    func engineTakesOver() {
        self.handover.flag.withLock { $0 = true }
    }

    var engineTookOver: Bool {
        self.handover.flag.withLock { $0 }
    }
}

/// Remembers whether a call reached the engine (a reference, so copies of the context share it).
final class EngineHandover: Sendable {
    let flag = Mutex(false)
}

/// Sends `notifications/progress` for one request through the session's transport, which routes
/// them onto that request's own response stream.
public struct ProgressReporter: Sendable {
    public let token: ProgressToken
    let send: @Sendable (Data) async throws -> Void

    public init(token: ProgressToken, send: @escaping @Sendable (Data) async throws -> Void) {
        self.token = token
        self.send = send
    }

    /// Best effort: a client that went away does not fail the work it asked for.
    public func report(progress: Double, total: Double?, message: String?) async {
        let notification = ProgressNotification.message(
            .init(progressToken: self.token, progress: progress, total: total, message: message)
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(notification) else { return }
        try? await self.send(data)
    }
}
