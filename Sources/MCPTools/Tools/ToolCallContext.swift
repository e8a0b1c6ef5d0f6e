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
