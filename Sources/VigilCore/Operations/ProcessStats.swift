/// The standard Prometheus process metrics (`process_cpu_seconds_total`,
/// `process_resident_memory_bytes`, …), computed from Linux's /proc text so the parsing is
/// pure and table-tested; `ProcessSampler` (services) reads the files at scrape time.
public struct ProcessStats: Sendable, Equatable {
    public var cpuSeconds: Double
    public var residentBytes: Int
    public var virtualBytes: Int
    public var startTimeSeconds: Double
    public var openFDs: Int?
    public var maxFDs: Int?

    public init(cpuSeconds: Double, residentBytes: Int, virtualBytes: Int, startTimeSeconds: Double, openFDs: Int? = nil, maxFDs: Int? = nil) {
        self.cpuSeconds = cpuSeconds
        self.residentBytes = residentBytes
        self.virtualBytes = virtualBytes
        self.startTimeSeconds = startTimeSeconds
        self.openFDs = openFDs
        self.maxFDs = maxFDs
    }

    /// From `/proc/self/stat` and `/proc/stat` (for `btime`); nil when either is not in the
    /// expected shape. The command name (field 2) is in parentheses and may hold spaces or
    /// parentheses itself, so fields are counted after the last `)`.
    public static func parse(stat: String, systemStat: String, clockTicksPerSecond: Int, pageSize: Int) -> ProcessStats? {
        guard clockTicksPerSecond > 0, let close = stat.lastIndex(of: ")") else { return nil }
        // After ")": field 3 (state) onwards.
        let fields = stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        func field(_ number: Int) -> Double? { fields.count > number - 3 ? Double(fields[number - 3]) : nil }
        guard let utime = field(14), let stime = field(15), let start = field(22), let vsize = field(23), let rss = field(24),
              let bootLine = systemStat.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
              let boot = Double(bootLine.dropFirst(6).trimmingCharacters(in: .whitespaces)) else { return nil }
        let ticks = Double(clockTicksPerSecond)
        return ProcessStats(cpuSeconds: (utime + stime) / ticks, residentBytes: Int(rss) * pageSize, virtualBytes: Int(vsize),
                            startTimeSeconds: boot + start / ticks)
    }

    /// Prometheus text exposition (with HELP and TYPE), ending in a newline.
    public var exposition: String {
        var families: [(name: String, type: String, help: String, value: String)] = [
            ("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", Self.number(cpuSeconds)),
            ("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", String(residentBytes)),
            ("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", String(virtualBytes)),
            ("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", Self.number(startTimeSeconds)),
        ]
        if let openFDs { families.append(("process_open_fds", "gauge", "Number of open file descriptors.", String(openFDs))) }
        if let maxFDs { families.append(("process_max_fds", "gauge", "Maximum number of open file descriptors.", String(maxFDs))) }
        return families.map { "# HELP \($0.name) \($0.help)\n# TYPE \($0.name) \($0.type)\n\($0.name) \($0.value)\n" }.joined()
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
