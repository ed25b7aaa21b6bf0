import Foundation

/// A real Prometheus Alertmanager (/usr/bin/prometheus-alertmanager) with one webhook
/// receiver, tuned for fast tests: group_wait and group_interval 1 s, clustering off.
public final class AlertmanagerPeer: @unchecked Sendable {
    /// One alert as accepted by POST /api/v2/alerts. Resolve by re-pushing it with
    /// `endsAt` in the past (and the same labels and startsAt).
    public struct Alert: Sendable, Encodable {
        public var labels: [String: String]
        public var annotations: [String: String]
        public var startsAt: Date
        public var endsAt: Date?

        public init(labels: [String: String], annotations: [String: String] = [:], startsAt: Date = Date(), endsAt: Date? = nil) {
            self.labels = labels
            self.annotations = annotations
            self.startsAt = startsAt
            self.endsAt = endsAt
        }
    }

    public let binary: String
    private let lock = NSLock()
    private var peer: PeerProcess?
    private var directory: URL?
    private var boundPort = 0

    public init(binary: String = "/usr/bin/prometheus-alertmanager") {
        self.binary = binary
    }

    deinit { stop() }

    public var port: Int { lock.withLock { boundPort } }
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Writes the config, starts Alertmanager on a free port and waits for GET /-/ready.
    /// Retries on another port if the chosen one was taken in the meantime.
    @discardableResult
    public func start(webhookURL: String, bearerToken: String? = nil) async throws -> Int {
        var lastError: Error = PeerError.notStarted(peer: "alertmanager")
        for _ in 0..<3 {
            do {
                return try await startOnce(webhookURL: webhookURL, bearerToken: bearerToken)
            } catch let error as PeerError {
                lastError = error
                stop()
                guard case .exited = error else { throw error }  // only a lost port race is retried
            }
        }
        throw lastError
    }

    private func startOnce(webhookURL: String, bearerToken: String?) async throws -> Int {
        let dir = try PeerEnvironment.makeTemporaryDirectory(prefix: "alertmanager")
        let config = dir.appendingPathComponent("alertmanager.yml")
        try Self.config(webhookURL: webhookURL, bearerToken: bearerToken).write(to: config, atomically: true, encoding: .utf8)
        let storage = dir.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
        let port = try PeerEnvironment.freePort()
        let process = PeerProcess(
            name: "alertmanager",
            executable: binary,
            arguments: ["--config.file=\(config.path)",
                        "--storage.path=\(storage.path)",
                        "--web.listen-address=127.0.0.1:\(port)",
                        "--cluster.listen-address=",  // empty disables gossip clustering
                        "--log.level=warn"],
            logFile: dir.appendingPathComponent("alertmanager.log"),
            captureStdout: false)
        lock.withLock { peer = process; directory = dir; boundPort = port }
        try process.start()

        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if !process.isRunning {
                throw PeerError.exited(peer: "alertmanager", status: -1, log: process.logTail())
            }
            if let (status, _) = try? await PeerHTTP.get("http://127.0.0.1:\(port)/-/ready"), status == 200 {
                return port
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PeerError.timedOut(peer: "alertmanager", waitingFor: "/-/ready", log: process.logTail())
    }

    static func config(webhookURL: String, bearerToken: String? = nil) -> String {
        let authorization = bearerToken.map { "\n        http_config:\n          authorization:\n            type: Bearer\n            credentials: '\($0)'" } ?? ""
        return """
        route:
          receiver: vigil-webhook
          group_by: ['alertname']
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: vigil-webhook
            webhook_configs:
              - url: '\(webhookURL)'
                send_resolved: true\(authorization)

        """
    }

    /// POST /api/v2/alerts.
    public func push(alerts: [Alert]) async throws {
        guard port != 0 else { throw PeerError.notStarted(peer: "alertmanager") }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let (status, body) = try await PeerHTTP.postJSON(baseURL + "/api/v2/alerts", try encoder.encode(alerts))
        guard status == 200 else {
            throw PeerError.badResponse(peer: "alertmanager",
                                        detail: "POST /api/v2/alerts answered \(status): \(String(decoding: body, as: UTF8.self))")
        }
    }

    public func stop() {
        let (process, dir) = lock.withLock { () -> (PeerProcess?, URL?) in
            defer { peer = nil; directory = nil; boundPort = 0 }
            return (peer, directory)
        }
        process?.stop()
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }
}
