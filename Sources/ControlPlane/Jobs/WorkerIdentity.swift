import Foundation

/// Names a worker uniquely across hosts, processes and restarts: `host:pid:random`, so a lease
/// shows who holds it and a restarted process never mistakes an old lease for its own.
enum WorkerIdentity {
    static func make() -> String {
        let host = ProcessInfo.processInfo.hostName
        let pid = ProcessInfo.processInfo.processIdentifier
        let random = UUID().uuidString.prefix(8).lowercased()
        return "\(host):\(pid):\(random)"
    }
}
