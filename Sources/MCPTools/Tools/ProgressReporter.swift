import Foundation
import MCP

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
