import Foundation
#if canImport(Glibc)
import Glibc
#endif
import VigilCore

/// Reads this process's figures from /proc at scrape time for the standard `process_*`
/// metrics on both `/metrics` endpoints; nil where /proc is not available.
public enum ProcessSampler {
    /// `exposition` followed by the process families (each on its own lines).
    public static func appended(to exposition: String) -> String {
        guard let process = sample()?.exposition else { return exposition }
        return exposition.isEmpty || exposition.hasSuffix("\n") ? exposition + process : exposition + "\n" + process
    }

    public static func sample() -> ProcessStats? {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let system = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              var stats = ProcessStats.parse(stat: stat, systemStat: system, clockTicksPerSecond: sysconf(Int32(_SC_CLK_TCK)),
                                             pageSize: sysconf(Int32(_SC_PAGESIZE))) else { return nil }
        stats.openFDs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max, limit.rlim_cur <= rlim_t(Int.max) {
            stats.maxFDs = Int(limit.rlim_cur)
        }
        return stats
        #else
        return nil
        #endif
    }
}
