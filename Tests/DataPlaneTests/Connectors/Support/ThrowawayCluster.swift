import AnalyticsCore
import Foundation
import TestSupport

/// A second, private PostgreSQL cluster (started with `scripts/pg-cluster.sh`) that a test may stop
/// and restart to play a dataset's database going down and coming back.
struct ThrowawayCluster: Sendable {
    struct CommandFailed: Error, CustomStringConvertible {
        var command: String
        var status: Int32
        var description: String { "\(self.command) exited with \(self.status)" }
    }

    let directory: String
    let url: ConnectionURL

    static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { url.deleteLastPathComponent() }
        return url
    }

    static func start() async throws -> ThrowawayCluster {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mcpa-cluster-\(UUID().uuidString.prefix(8))").path
        let script = self.repositoryRoot.appendingPathComponent("scripts/pg-cluster.sh").path
        try await self.run(script, ["start", directory])
        let url = try String(contentsOfFile: directory + "/url", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return ThrowawayCluster(directory: directory, url: try ConnectionURL(url))
    }

    /// Kills the server at once (`-m immediate`), as a crash or a network cut would.
    ///
    /// The cluster runs with `synchronous_commit=off`, so a commit made just before the kill may
    /// still sit in the WAL buffers and be lost; a checkpoint first keeps the test's tables.
    func stop() async throws {
        try await TestPostgres.execute(["CHECKPOINT"], on: self.url)
        try await self.pgctl(["-D", self.directory + "/data", "-m", "immediate", "-w", "stop"])
    }

    /// Starts the server again on the same port with the options the script used.
    func restart() async throws {
        let options = [
            "-c listen_addresses=127.0.0.1", "-c port=\(self.url.port ?? 5432)", "-c unix_socket_directories=\(self.directory)",
            "-c max_connections=300", "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
        ].joined(separator: " ")
        try await self.pgctl(["-D", self.directory + "/data", "-l", self.directory + "/data/server.log", "-w", "-t", "60", "-o", options, "start"])
    }

    /// Stops the server and removes its directory.
    func destroy() async {
        let script = Self.repositoryRoot.appendingPathComponent("scripts/pg-cluster.sh").path
        try? await Self.run(script, ["stop", self.directory])
    }

    private func pgctl(_ arguments: [String]) async throws {
        let binaries = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let version = binaries.sorted(by: { $0.compare($1, options: .numeric) == .orderedAscending }).last else {
            throw CommandFailed(command: "pg_ctl (not installed)", status: -1)
        }
        let pgctl = "/usr/lib/postgresql/\(version)/bin/pg_ctl"
        if getuid() == 0 {
            try await Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", pgctl] + arguments)
        } else {
            try await Self.run(pgctl, arguments)
        }
    }

    /// Runs a command to completion with its output discarded (a server it starts would otherwise
    /// hold the pipe open). Spawns and reaps the child itself: Foundation's `Process` waits for a
    /// SIGCHLD that the test process may never deliver to it.
    static func run(_ executable: String, _ arguments: [String]) async throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw CommandFailed(command: executable, status: spawned) }
        let child = pid
        let status: Int32 = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var status: Int32 = 0
                while waitpid(child, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        let exitCode = (status >> 8) & 0xFF
        guard status & 0x7F == 0, exitCode == 0 else {
            throw CommandFailed(command: ([executable] + arguments).joined(separator: " "), status: exitCode)
        }
    }
}
