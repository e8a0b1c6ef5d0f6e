import Foundation

/// CPU time a process has used, from `/proc/<pid>/stat` (Linux), so a benchmark can report the
/// server's CPU per call beside its latency.
enum ProcessCPU {
    /// User plus system time of `pid`; nil where `/proc` cannot tell.
    static func used(by pid: Int32) -> Duration? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        guard fields.count > 12, let user = Int64(fields[11]), let system = Int64(fields[12]) else { return nil }
        let ticksPerSecond = Int64(sysconf(Int32(_SC_CLK_TCK)))
        guard ticksPerSecond > 0 else { return nil }
        return .milliseconds((user + system) * 1_000 / ticksPerSecond)
    }
}
