import AnalyticsCore
import Foundation
import Logging
import MCP
import MCPTools

/// The live Streamable HTTP sessions of this process: opened by `initialize`, found by their
/// `Mcp-Session-Id`, ended by `DELETE`, idle expiry or shutdown.
actor MCPSessionRegistry {
    let mcp: AnalyticsMCPServer
    let maxSessions: Int
    let idleTimeout: Duration
    let logger: Logger
    var sessions: [String: MCPHTTPSession] = [:]
    /// Sessions being opened, counted against ``maxSessions`` while their server starts.
    var opening = 0

    init(mcp: AnalyticsMCPServer, maxSessions: Int, idleTimeout: Duration, logger: Logger) {
        self.mcp = mcp
        self.maxSessions = maxSessions
        self.idleTimeout = idleTimeout
        self.logger = logger
    }

    var count: Int { self.sessions.count }

    enum OpenFailure: Error {
        case full
    }

    /// A new session for `principal`, its server started and waiting for `initialize`.
    func open(principal: Principal) async throws -> MCPHTTPSession {
        guard self.sessions.count + self.opening < self.maxSessions else { throw OpenFailure.full }
        self.opening += 1
        defer { self.opening -= 1 }
        let session = try await Self.start(mcp: self.mcp, id: Self.newID(), principal: principal, logger: self.logger, singleRequest: false)
        self.sessions[session.id] = session
        self.logger.debug("MCP session opened", metadata: ["mcpa.session": "\(session.id.prefix(8))", "mcpa.principal": "\(principal.name)"])
        return session
    }

    /// A session that serves one request and ends itself (stateless mode); never registered.
    static func start(mcp: AnalyticsMCPServer, id: String, principal: Principal, logger: Logger, singleRequest: Bool) async throws -> MCPHTTPSession {
        let state = MCPSessionState(id: id, principal: principal)
        let transport = MCPHTTPTransport(logger: logger, singleRequest: singleRequest)
        let server = try await mcp.start(session: state, transport: transport)
        return MCPHTTPSession(state: state, transport: transport, server: server)
    }

    func session(_ id: String) -> MCPHTTPSession? {
        guard let session = self.sessions[id] else { return nil }
        if session.transport.router.isClosed {
            self.sessions[id] = nil
            return nil
        }
        return session
    }

    func close(_ id: String) {
        guard let session = self.sessions.removeValue(forKey: id) else { return }
        session.close()
        self.logger.debug("MCP session closed", metadata: ["mcpa.session": "\(id.prefix(8))"])
    }

    func closeAll() {
        for session in self.sessions.values { session.close() }
        self.sessions.removeAll()
    }

    /// Ends sessions idle longer than ``idleTimeout``; returns how many.
    @discardableResult
    func expireIdle(now: ContinuousClock.Instant = .now) -> Int {
        let expired = self.sessions.filter { _, session in
            session.transport.router.idleDuration(now: now).map { $0 > self.idleTimeout } ?? false
        }
        for id in expired.keys { self.close(id) }
        if !expired.isEmpty { self.logger.debug("MCP sessions expired", metadata: ["mcpa.count": "\(expired.count)"]) }
        return expired.count
    }

    func keepAlive() {
        for session in self.sessions.values { session.transport.router.keepAlive() }
    }

    /// Sends one server-initiated message to every session (to its GET stream, or kept for it).
    func broadcast(_ data: Data) {
        for session in self.sessions.values { session.transport.router.route(data) }
    }

    /// 256 random bits, hex: unguessable, and visible ASCII as the specification requires.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next(), radix: 16).leftPadded(to: 16) }.joined()
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        self.count >= length ? self : String(repeating: "0", count: length - self.count) + self
    }
}
