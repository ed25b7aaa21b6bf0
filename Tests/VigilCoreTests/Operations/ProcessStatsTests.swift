import Testing
import VigilCore

struct ProcessStatsTests {
    static let system = "cpu  1 2 3\nbtime 1796284219\nprocesses 42\n"

    // (case, /proc/self/stat, expected)
    static let cases: [(String, String, ProcessStats?)] = [
        ("a plain command name",
         "28464 (cat) R 28460 28460 15514 0 -1 4194304 124 0 0 0 250 150 0 0 20 0 1 0 8819000 3133440 381 18446744073709551615",
         ProcessStats(cpuSeconds: 4, residentBytes: 381 * 4096, virtualBytes: 3_133_440, startTimeSeconds: 1_796_284_219 + 88_190)),
        ("a name with spaces and parentheses",
         "7 (vigil (worker) x) S 1 7 7 0 -1 0 0 0 0 0 100 0 0 0 20 0 9 0 100 1000 2 0",
         ProcessStats(cpuSeconds: 1, residentBytes: 2 * 4096, virtualBytes: 1000, startTimeSeconds: 1_796_284_220)),
        ("truncated", "7 (x) S 1 7 7", nil),
        ("no parentheses", "7 x S 1", nil),
    ]

    @Test(arguments: cases.indices)
    func parses(index: Int) {
        let (name, stat, expected) = Self.cases[index]
        #expect(ProcessStats.parse(stat: stat, systemStat: Self.system, clockTicksPerSecond: 100, pageSize: 4096) == expected, "\(name)")
    }

    @Test func withoutBootTimeThereIsNoStartTimeAndNoStats() {
        #expect(ProcessStats.parse(stat: Self.cases[0].1, systemStat: "cpu 1 2 3\n", clockTicksPerSecond: 100, pageSize: 4096) == nil)
    }

    @Test func exposesThePrometheusFamilies() {
        let text = ProcessStats(cpuSeconds: 4.5, residentBytes: 10, virtualBytes: 20, startTimeSeconds: 100, openFDs: 7, maxFDs: 1024).exposition
        #expect(text.contains("# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 4.5\n"))
        #expect(text.contains("process_resident_memory_bytes 10\n"))
        #expect(text.contains("process_start_time_seconds 100\n"))
        #expect(text.contains("process_open_fds 7\n") && text.contains("process_max_fds 1024\n"))
        #expect(!ProcessStats(cpuSeconds: 0, residentBytes: 0, virtualBytes: 0, startTimeSeconds: 0).exposition.contains("process_open_fds"))
    }
}
