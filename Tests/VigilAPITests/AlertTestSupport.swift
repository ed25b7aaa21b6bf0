import DeliveryTestFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import PostgresClient
import Testing
import VigilCore
import VigilServices
import VigilTestFixtures
import VigilWorker

/// Runs the jobs the API enqueued, in-process, with the worker's own catalogue over the test's
/// services — what a `vigil worker` would do, but deterministic: `drain` claims and runs until
/// nothing is due.
struct AlertJobDrain {
    let api: TestAPI
    let handlers: JobRegistry
    let store: JobWorkerStore
    /// What a worker's `/metrics` would count while these jobs ran.
    let metrics = JobMetrics()

    init(_ api: TestAPI) {
        self.api = api
        do {
            handlers = try JobCatalogue.registry(services: api.workerServices, logger: api.services.logger, metrics: metrics)
        } catch {
            preconditionFailure("the job catalogue is inconsistent: \(error)")
        }
        // Uncapped: the drain runs jobs one by one, so the per-workspace running cap (5) would
        // only make it take more rounds.
        store = api.workerServices.jobWorkerStore(listenConninfo: nil, maxRunningPerWorkspace: 1_000)
    }

    /// Runs due jobs until none is left; with `advancingTime`, future jobs (escalation delays,
    /// storm summaries, retry backoff) are made due first, as if their time had come.
    /// Returns the kinds run, in order.
    @discardableResult
    func drain(advancingTime: Bool = false, rounds: Int = 30) async throws -> [String] {
        var ran: [String] = []
        for _ in 0..<rounds {
            if advancingTime { try await makeEverythingDue() }
            let jobs = try await store.claim(worker: "test-drain", max: 100)
            if jobs.isEmpty { break }
            for job in jobs {
                ran.append(job.kind)
                guard let handler = handlers[job.kind] else {
                    try await store.fail(job, worker: "test-drain", error: "no handler", retryAfter: nil)
                    continue
                }
                do {
                    try await handler.run(job)
                    try await store.complete(job, worker: "test-drain")
                } catch {
                    try await store.fail(job, worker: "test-drain", error: "\(error)", retryAfter: job.isLastAttempt ? nil : .zero)
                }
            }
        }
        return ran
    }

    func makeEverythingDue() async throws {
        let owner = try await api.db.ownerConnection()
        try await owner.execute("UPDATE jobs SET run_at = now() WHERE state IN ('available', 'retryable') AND run_at > now()")
        await owner.close()
    }

    /// Pending jobs of a kind (any workspace), read as the owner.
    func pending(kind: String) async throws -> Int {
        let owner = try await api.db.ownerConnection()
        defer { Task { await owner.close() } }
        return try await owner.query("""
            SELECT count(*)::integer AS n FROM jobs WHERE kind = \(kind) AND state IN ('available', 'retryable', 'running')
            """).first!.decode("n", as: Int.self)
    }
}

extension TestClientProtocol {
    /// POSTs JSON and returns the parsed object (expecting `status`).
    func postJSON(_ uri: String, key: String, _ json: String, expect status: HTTPResponse.Status = .created,
                  sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let reply = try await call(.post, uri, auth: .bearer(key), json: json)
        #expect(reply.status == status, "\(uri): \(reply.text)", sourceLocation: sourceLocation)
        return reply.json
    }

    /// A webhook channel pointing at the receiver; returns its id.
    func webhookChannel(_ slug: String, key: String, url: String, name: String = "hook-\(UUID().uuidString.prefix(6))",
                        minSeverity: String = "info", format: String = "vigil",
                        secret: String = "0123456789abcdef-secret") async throws -> String {
        let channel = try await postJSON("/v1/workspaces/\(slug)/channels", key: key, """
            {"name":"\(name)","kind":"webhook","url":"\(url)","min_severity":"\(minSeverity)","format":"\(format)",
             "secrets":{"signing_secret":"\(secret)"}}
            """)
        return try #require(channel["id"] as? String)
    }

    /// Raises an alert; returns the submission (outcome + alert).
    func raiseAlert(_ slug: String, key: String, title: String = "Disk full", severity: String = "high", labels: [String: String] = [:],
                    extra: String = "", expect status: HTTPResponse.Status = .created) async throws -> [String: Any] {
        let labelJSON = String(decoding: try JSONSerialization.data(withJSONObject: labels, options: .sortedKeys), as: UTF8.self)
        return try await postJSON("/v1/workspaces/\(slug)/alerts", key: key, """
            {"title":"\(title)","severity":"\(severity)","source":"tests","labels":\(labelJSON)\(extra)}
            """, expect: status)
    }

    func ledger(_ slug: String, key: String, alertID: String? = nil) async throws -> [[String: Any]] {
        let query = alertID.map { "?alert_id=\($0)" } ?? ""
        let reply = try await call(.get, "/v1/workspaces/\(slug)/notifications\(query)", auth: .bearer(key))
        #expect(reply.status == .ok, "\(reply.text)")
        return (reply.json["items"] as? [[String: Any]] ?? []).reversed()
    }
}

extension [String: Any] {
    var alert: [String: Any] { self["alert"] as? [String: Any] ?? [:] }
    var id: String { self["id"] as? String ?? "" }
}
