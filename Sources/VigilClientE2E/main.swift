import Crypto
import Foundation
import OpenAPIRuntime
import OpenAPIURLSession

// A Swift client generated from openapi/openapi.yaml (swift-openapi-generator in client mode,
// this target's own copy of the spec) drives a live Vigil the way a new user's program would,
// with no hand-written request or response code: workspace, keys, ingest, stats with tag
// filters, an alert acknowledged and resolved, a compliance export downloaded as a zip and
// verified, a CIDR network blocked and lifted (a `/` inside a path parameter). Run by scripts/smoke-dev.sh:
//
//   vigil-client-e2e --base http://127.0.0.1:8080 --admin-token T

func argument(_ name: String) -> String {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else {
        FileHandle.standardError.write(Data("usage: vigil-client-e2e --base URL --admin-token TOKEN\n".utf8))
        exit(2)
    }
    return arguments[index + 1]
}

func check(_ condition: Bool, _ what: String, _ detail: @autoclosure () -> Any = "") {
    guard condition else {
        print("FAIL - \(what): \(detail())")
        exit(1)
    }
    print("ok   - \(what)")
}

func client(_ base: URL, token: String) -> Client {
    Client(serverURL: base, configuration: Configuration(dateTranscoder: .iso8601WithFractionalSeconds),
           transport: URLSessionTransport(), middlewares: [BearerAuth(token: token)])
}

let base = URL(string: argument("--base"))!
let platform = client(base, token: argument("--admin-token"))
let slug = "swift-" + UUID().uuidString.prefix(8).lowercased()

let created = try await platform.createWorkspace(body: .json(.init(name: "Swift client", slug: slug))).created.body.json
check(created.workspace.slug == slug, "workspace created", created.workspace.slug)
let admin = client(base, token: created.apiKey.key)

let workspace = try await admin.getWorkspace(path: .init(workspace: slug)).ok.body.json
check(workspace.settings.retentionDays.metrics > 0, "workspace read back with its settings", workspace.settings)

let ingestKey = try await admin.createApiKey(path: .init(workspace: slug), body: .json(.init(name: "collector", role: .ingest))).created.body.json
check(ingestKey.key.hasPrefix("vgl_"), "ingest key minted")
let collector = client(base, token: ingestKey.key)

let points: [Components.Schemas.MetricPointInput] = (0..<10).map { i in
    .init(name: "http.request.duration", kind: .timing, value: Double(10 * (i + 1)),
          tags: .init(additionalProperties: ["status": i < 3 ? "500" : "200", "endpoint": "/api/users"]))
}
let accepted = try await collector.ingestMetrics(path: .init(workspace: slug), body: .json(.init(points: points))).ok.body.json
check(accepted.accepted == 10, "ten points ingested", accepted)

let errors = try await admin.getMetricStats(path: .init(workspace: slug, name: "http.request.duration"),
                                            query: .init(window: 5, tag: ["status=500"])).ok.body.json
check(errors.value1.count == 3 && errors.value1.max == 30, "stats with tag=status=500", errors.value1)
let empty = try await admin.getMetricStats(path: .init(workspace: slug, name: "http.request.duration"),
                                           query: .init(window: 5, tag: ["status=418"])).ok.body.json
check(empty.value1.count == 0 && empty.value1.min == nil, "stats on an empty window", empty.value1)

let alertBody = Components.Schemas.AlertCreate(title: "checkout errors", severity: .high, source: "swift-client",
                                               labels: .init(additionalProperties: ["service": "checkout"]))
let raised: Components.Schemas.AlertSubmission
switch try await admin.createAlert(path: .init(workspace: slug), body: .json(alertBody)) {
case .created(let response): raised = try response.body.json
case .ok(let response): raised = try response.body.json
default: check(false, "alert raised", "unexpected answer"); exit(1)
}
check(!raised.id.isEmpty, "alert raised", raised.outcome)
let acknowledged = try await admin.acknowledgeAlert(path: .init(workspace: slug, id: raised.id), body: .json(.init())).ok.body.json
check(acknowledged.state == .acknowledged, "alert acknowledged", acknowledged.state)
let resolved = try await admin.resolveAlert(path: .init(workspace: slug, id: raised.id), body: .json(.init())).ok.body.json
check(resolved.state == .resolved && resolved.resolvedAt != nil, "alert resolved", resolved.state)

var report = try await admin.createComplianceReport(path: .init(workspace: slug), body: .json(
    .init(kind: .subjectExport, subject: .init(userId: "user-42"), format: .zip))).accepted.body.json
let deadline = Date().addingTimeInterval(90)
while report.state != .completed && report.state != .failed && Date() < deadline {
    try await Task.sleep(for: .milliseconds(500))
    report = try await admin.getComplianceReport(path: .init(workspace: slug, id: report.id)).ok.body.json
}
check(report.state == .completed, "the worker generated the report", report.state)
let download = try await admin.downloadComplianceReport(path: .init(workspace: slug, id: report.id)).ok
let bytes = try await [UInt8](collecting: try download.body.binary, upTo: 64 * 1024 * 1024)
let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
check(digest == report.files.first?.sha256, "the download's SHA-256 matches the report's")
check(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]), "the download is a zip archive")
check(download.headers.contentDisposition?.contains(".zip") == true, "Content-Disposition names the zip", download.headers.contentDisposition ?? "-")

let verified = try await admin.verifyAuditLog(path: .init(workspace: slug)).ok.body.json
check(verified.intact && verified.sealed == nil, "the audit chain verifies, nothing sealed yet", verified.checked)
let seals = try await admin.listAuditSeals(path: .init(workspace: slug)).ok.body.json
check(seals.items.isEmpty, "no audit segment sealed in a new workspace", seals.items.count)

let network = "203.0.113.0/24"
let blocked = try await admin.blockSecurityAddress(path: .init(workspace: slug, address: network),
                                                   body: .json(.init(reason: "swift client range block", minutes: 30))).ok.body.json
check(blocked.address == network && blocked.blocked, "a CIDR network blocked through its path parameter", blocked.address)
let covered = try await admin.getSecurityAddress(path: .init(workspace: slug, address: "203.0.113.9")).ok.body.json
check(covered.coveringBlocks.map(\.address) == [network], "the address shows the network block covering it", covered.coveringBlocks)
let lifted = try await admin.unblockSecurityAddress(path: .init(workspace: slug, address: network), body: .json(.init(reason: "done"))).ok.body.json
check(!lifted.blocked, "the network unblocked", lifted.blocked)

let refused = try await collector.getWorkspace(path: .init(workspace: slug))
if case .forbidden(let response) = refused {
    check(try response.body.json.error.code == "forbidden", "an ingest key reading settings gets the error envelope")
} else {
    check(false, "an ingest key reading settings is forbidden", refused)
}
print("swift client: every step passed")
