import Foundation
import Testing
import VigilCore

/// Runs the real `promtool check metrics` on rendered output. CI installs Prometheus
/// (`apt-get install -y prometheus`), so a missing promtool fails this test rather than
/// skipping it: an unchecked exposition is how invalid output ships.
struct PrometheusPromtoolTests {
    /// Exit status and output of `promtool check metrics` reading `text` on stdin.
    static func promtool(_ text: String) throws -> (status: Int32, output: String) {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            .split(separator: ":").map { "\($0)/promtool" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        let executable = try #require(path, "promtool is not on PATH; install it with `apt-get install -y prometheus`")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["check", "metrics"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static let stats = MetricStats(count: 3, sum: 0.75, min: 0.1, max: 0.5, p50: 0.15, p95: 0.49, p99: 0.5)

    /// Well-named metrics: promtool must report nothing at all (no parse error, no lint).
    @Test func conventionalMetricsPassCleanly() throws {
        let text = PrometheusExposition.render([
            PrometheusSample(name: "http.request.duration.seconds", labels: ["endpoint": "/api/users", "status": "200"],
                             value: .timing(Self.stats)),
            PrometheusSample(name: "http.request.duration.seconds", labels: ["endpoint": "/api/\"q\"\n\\", "status": "500"],
                             value: .timing(.empty)),
            PrometheusSample(name: "jobs.processed", labels: ["queue": "mail"], value: .counter(total: 1e21)),
            PrometheusSample(name: "queue.depth", labels: ["queue": "mail"], value: .gauge(-1.5e-7),
                             timestamp: Date(timeIntervalSince1970: 1_795_000_000)),
            PrometheusSample(name: "temperature.celsius", value: .gauge(.nan)),
            PrometheusSample(name: "limit.ratio", value: .gauge(.infinity)),
            PrometheusSample(name: "floor.ratio", value: .gauge(-.infinity)),
        ])
        let result = try Self.promtool(text)
        #expect(result.status == 0, "\(result.output)\n\(text)")
        #expect(result.output.isEmpty, "\(result.output)")
    }

    /// Adversarial names and labels: the output must parse (no "error while linting" / parse
    /// error, exit status 1); lint findings about the user's own naming style are allowed
    /// (promtool exits 3 for those).
    @Test func adversarialInputStillParses() throws {
        var samples: [PrometheusSample] = []
        for kind in ["a", "a.count", "a.sum", "a_total", "9x", "b:c", "b_c", "b-c"] {
            samples.append(PrometheusSample(name: kind, labels: ["quantile": "x", "le": "1", "__name__": "n"], value: .timing(Self.stats)))
            samples.append(PrometheusSample(name: kind, labels: ["user.id": "1", "user_id": "2"], value: .gauge(1)))
            samples.append(PrometheusSample(name: kind, labels: ["v": "é\"\\\n"], value: .counter(total: 2)))
        }
        let text = PrometheusExposition.render(samples)
        let result = try Self.promtool(text)
        #expect(result.status == 0 || result.status == 3, "\(result.output)\n\(text)")
        #expect(!result.output.contains("error"), "\(result.output)")
    }
}
