import DataPlane
import Foundation

/// Resident memory of this process from `/proc/self/status` (Linux), for the benchmark's memory check.
public enum ProcessMemory {
    /// Current resident set (`VmRSS`) and its peak (`VmHWM`), in bytes; nil where `/proc` is absent.
    public static func current() -> (resident: Int, peak: Int)? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        var resident: Int?
        var peak: Int?
        for line in status.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count >= 2, let kilobytes = Int(parts[1]) else { continue }
            if parts[0] == "VmRSS:" { resident = kilobytes * 1024 }
            if parts[0] == "VmHWM:" { peak = kilobytes * 1024 }
        }
        guard let resident, let peak else { return nil }
        return (resident, peak)
    }

    /// Resets the peak (`VmHWM`) to the current resident set, so a later peak belongs to what ran
    /// since (Linux ≥ 4.0: writing 5 to `/proc/self/clear_refs`); false where unsupported.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }
}
