import Foundation
import HTTPTypes
import PostgresClient
import Testing
import VigilCore
@testable import VigilRepositories
import VigilServices
import VigilTestFixtures

/// The audit log is retained by sealing (issue 14): rows past `retention_days.audit_log` are
/// exported as a signed segment and only then deleted; verification starts from the seal; the
/// segment downloads and verifies offline; nothing unsealed or tampered is ever pruned.
extension TestAPI {
    /// The worker's audit signing key in every test (sealing needs entries a year old, which
    /// only tests that move the clock have).
    static let auditSigningKey = try! AuditSigningKey(settingText: AuditSigningKey.generateSettingText())
}

extension ServiceSettings {
    func with(auditSigningKey: AuditSigningKey) -> ServiceSettings {
        var settings = self
        settings.housekeeping.auditSigningKey = auditSigningKey
        return settings
    }
}

struct AuditSealingTests {
    static let key = TestAPI.auditSigningKey
    static let day: TimeInterval = 86_400

    /// A retention run as the worker does it, on the worker's login, at the test's time.
    static func cleanup(_ api: TestAPI, keepDays: Int = 90) async throws -> RetentionReport {
        var configuration = HousekeepingConfiguration()
        configuration.auditSigningKey = key
        configuration.auditSegmentKeepDays = keepDays
        return try await HousekeepingService(database: api.workerServices.environment.database, clock: WallClock(now: { api.clock.now }),
                                             configuration: configuration, logger: MigratedDatabase.logger).cleanup()
    }

    static func items(_ reply: Reply) throws -> [[String: Any]] { try #require(reply.json["items"] as? [[String: Any]], "\(reply.text)") }

    @Test func rowsPastRetentionAreSealedDownloadableVerifiableAndThenPruned() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let other = try await client.createWorkspace()
            for i in 0..<3 { _ = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer", name: "old\(i)") }
            api.clock.advance(by: 366 * Self.day)
            _ = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer", name: "recent")

            let report = try await Self.cleanup(api)
            let wsID = try #require(UUID(uuidString: ws.id))
            #expect(report.removed[wsID]?["audit_log"] == 5, "workspace.create, its first key and three more key creations were a year old")
            #expect(report.auditSegments[wsID] == 1)
            #expect(report.brokenAuditChains.isEmpty)

            let log = try Self.items(try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log", auth: .bearer(ws.key)))
            #expect(log.compactMap { $0["seq"] as? Int } == [7, 6], "the recent row and the cleanup's own entry stay")
            #expect(log.first?["action"] as? String == "retention.cleanup")

            let verify = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/verify", auth: .bearer(ws.key))
            #expect(verify.json["intact"] as? Bool == true, "\(verify.text)")
            #expect(verify.json["checked"] as? Int == 2)
            let sealed = try #require(verify.json["sealed"] as? [String: Any])
            #expect(sealed["segments"] as? Int == 1 && sealed["rows"] as? Int == 5 && sealed["head_seq"] as? Int == 5)

            let seals = try Self.items(try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/seals", auth: .bearer(ws.key)))
            let seal = try #require(seals.first)
            #expect(seals.count == 1)
            #expect(seal["seq_from"] as? Int == 1 && seal["seq_to"] as? Int == 5 && seal["row_count"] as? Int == 5)
            #expect(seal["public_key"] as? String == Self.key.publicKey)
            #expect(seal["segment_available"] as? Bool == true)
            let sealID = try #require(seal["id"] as? String)

            let download = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/seals/\(sealID)/segment", auth: .bearer(ws.key))
            #expect(download.status == .ok)
            #expect(download.headers[.contentDisposition] == #"attachment; filename="audit-segment-1-5.json""#)
            #expect(SHA256Hex.hex(of: download.bytes) == seal["segment_sha256"] as? String)
            #expect(download.headers[.eTag] == "\"\(seal["segment_sha256"] as? String ?? "")\"")
            let segment = try AuditSegment.decode(download.bytes)
            #expect(segment.problems(pinnedPublicKey: Self.key.publicKey).isEmpty)
            #expect(segment.rows.map(\.action) == ["workspace.create", "api_key.create", "api_key.create", "api_key.create", "api_key.create"])
            #expect(segment.head == AuditChain.Position(seq: 5, hash: sealed["head_hash"] as? String ?? ""))

            // Offline, a copy edited after download no longer verifies.
            var edited = segment
            edited.rows[1].details["name"] = "someone else"
            #expect(edited.problems(pinnedPublicKey: Self.key.publicKey) == [.brokenChain(seq: 2, reason: .detailsDigestMismatch)])

            // The download is audited; the chain goes on intact after it.
            let after = try Self.items(try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log?limit=1", auth: .bearer(ws.key)))
            #expect(after.first?["action"] as? String == "audit_log.segment_downloaded")
            let again = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/verify", auth: .bearer(ws.key))
            #expect(again.json["intact"] as? Bool == true && again.json["checked"] as? Int == 3)

            // Another tenant sees no seal and cannot fetch this one, whatever id it names.
            let theirs = try await client.call(.get, "/v1/workspaces/\(other.slug)/audit-log/seals/\(sealID)/segment", auth: .bearer(other.key))
            theirs.expectErrorEnvelope(.notFound, "not_found")
            let theirSeals = try Self.items(try await client.call(.get, "/v1/workspaces/\(other.slug)/audit-log/seals", auth: .bearer(other.key)))
            #expect(theirSeals.count == 1 && theirSeals.first?["id"] as? String != sealID, "its own seal only")
            let otherID = try #require(UUID(uuidString: other.id))
            #expect(report.removed[otherID]?["audit_log"] == 2, "the other workspace's own year-old rows are sealed in its own chain")
            let theirVerify = try await client.call(.get, "/v1/workspaces/\(other.slug)/audit-log/verify", auth: .bearer(other.key))
            #expect(theirVerify.json["intact"] as? Bool == true, "\(theirVerify.text)")
        }
    }

    @Test func whenEveryRowIsSealedTheNextEntryContinuesFromTheSeal() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            api.clock.advance(by: 400 * Self.day)
            let report = try await Self.cleanup(api)
            let wsID = try #require(UUID(uuidString: ws.id))
            #expect(report.removed[wsID]?["audit_log"] == 2)
            // The cleanup's own entry (appended after the prune) and one more continue the chain.
            _ = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer")
            let log = try Self.items(try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log", auth: .bearer(ws.key)))
            #expect(log.compactMap { $0["seq"] as? Int } == [4, 3])
            let verify = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/verify", auth: .bearer(ws.key))
            #expect(verify.json["intact"] as? Bool == true, "\(verify.text)")
            #expect(verify.json["checked"] as? Int == 2)
        }
    }

    @Test func aTamperedRowIsNeitherSealedNorPruned() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            for _ in 0..<2 { _ = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer") }
            let owner = try await api.db.ownerConnection()
            try await owner.simpleQuery("""
                BEGIN; SET LOCAL ROLE vigil_owner; SELECT set_config('vigil.workspace_id', '\(ws.id)', true);
                UPDATE audit_log SET details = '{"name": "rewritten"}' WHERE seq = 3; COMMIT;
                """)
            await owner.close()
            api.clock.advance(by: 400 * Self.day)
            let report = try await Self.cleanup(api)
            let wsID = try #require(UUID(uuidString: ws.id))
            #expect(report.brokenAuditChains[wsID] == 3)
            #expect(report.removed[wsID]?["audit_log"] == nil)
            #expect(try Self.items(try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/seals", auth: .bearer(ws.key))).isEmpty)
            let log = try Self.items(try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log", auth: .bearer(ws.key)))
            #expect(log.count == 4, "every row stays, the tampered one included, for someone to look at")
        }
    }

    @Test func segmentBodiesGoAfterTheKeepPeriodAndTheManifestStays() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            api.clock.advance(by: 366 * Self.day)
            _ = try await Self.cleanup(api, keepDays: 30)
            let sealID = try #require(try Self.items(try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/seals", auth: .bearer(ws.key)))
                .first?["id"] as? String)
            api.clock.advance(by: 31 * Self.day)
            let report = try await Self.cleanup(api, keepDays: 30)
            #expect(report.auditSegments.isEmpty, "nothing new was due")
            let seal = try #require(try Self.items(try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/seals", auth: .bearer(ws.key))).first)
            #expect(seal["segment_available"] as? Bool == false)
            #expect(seal["segment_discarded_at"] is String)
            let gone = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/seals/\(sealID)/segment", auth: .bearer(ws.key))
            gone.expectErrorEnvelope(.notFound, "not_found")
            let verify = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/verify", auth: .bearer(ws.key))
            #expect(verify.json["intact"] as? Bool == true, "verification needs only the manifest: \(verify.text)")
            let db = try await api.db.ownerConnection()
            let bodies = try await db.query("SELECT count(*)::int AS n FROM audit_seals WHERE segment IS NOT NULL AND workspace_id = \(UUID(uuidString: ws.id)!)")
            #expect(try bodies[0].decode("n", as: Int.self) == 0)
            await db.close()
        }
    }

    @Test func anAlteredSealFailsVerification() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            api.clock.advance(by: 366 * Self.day)
            _ = try await Self.cleanup(api)
            let owner = try await api.db.ownerConnection()
            // Moving the sealed period (say, to hide when something happened) breaks the signature.
            try await owner.simpleQuery("""
                BEGIN; SET LOCAL ROLE vigil_owner; SELECT set_config('vigil.workspace_id', '\(ws.id)', true);
                UPDATE audit_seals SET first_occurred_at = first_occurred_at - interval '1 day'; COMMIT;
                """)
            await owner.close()
            let verify = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/verify", auth: .bearer(ws.key))
            #expect(verify.json["intact"] as? Bool == false)
            let firstBad = try #require(verify.json["first_bad"] as? [String: Any])
            #expect(firstBad["reason"] as? String == "seal_signature_mismatch" && firstBad["seq"] as? Int == 1)
        }
    }

    @Test func onlyTheWorkerPrunesAndOnlyRowsASealCovers() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let wsID = try #require(UUID(uuidString: ws.id))
            // The API login: no prune function, no seal writes, no audit deletes.
            for sql in ["SELECT vigil_prune_sealed_audit(1)", "DELETE FROM audit_log",
                        "INSERT INTO audit_seals (workspace_id, id, seq_from, seq_to, row_count, prev_hash, head_hash, first_occurred_at, last_occurred_at, sealed_at, key_id, public_key, signature, segment_sha256, segment_bytes, segment) VALUES ('\(ws.id)', gen_random_uuid(), 1, 1, 1, repeat('0', 64), repeat('0', 64), now(), now(), now(), 'k', 'k', 's', repeat('0', 64), 1, '\\x00')"] {
                await #expect(throws: StorageError.self, "\(sql.prefix(40))") {
                    try await api.services.environment.database.inWorkspace(wsID) { try await $0.query(PostgresQuery(unsafeSQL: sql)) }
                }
            }
            // The worker login: no seal ends at row 1, so nothing is pruned.
            await #expect(throws: StorageError.self) {
                try await api.workerServices.environment.database.inWorkspace(wsID) { try await AuditSealRepository().pruneSealedRows(upTo: 1, on: $0) }
            }
            let log = try Self.items(try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log", auth: .bearer(ws.key)))
            #expect(log.count == 2)
        }
    }

    @Test func subjectExportAndErasureReachRowsInsideStoredSegments() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let email = "alice@example.com"
            // Stored as sent (no redaction), so the key's name in the audit details is personal data.
            #expect(try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key),
                                          json: #"{"settings":{"redaction":{"enabled":false}}}"#).status == .ok)
            _ = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer", name: "laptop of \(email)")
            _ = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer", name: "bob's laptop")
            api.clock.advance(by: 366 * Self.day)
            _ = try await Self.cleanup(api)
            let before = try #require(try Self.items(try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/seals", auth: .bearer(ws.key))).first)
            let sealID = try #require(before["id"] as? String)

            let reports = ComplianceReportTests()
            let subject = #"{"email":"\#(email)"}"#
            let exportID = try await reports.requestReport(client, ws, #"{"kind":"subject_export","format":"json","subject":\#(subject)}"#)
            _ = try await reports.finished(api, client, ws, exportID)
            let sections = try reports.sections(try await reports.download(client, ws, exportID).text)
            #expect(sections["audit_seals"]?["matched"] as? Int == 1, "\(String(describing: sections["audit_seals"]))")

            let erasureID = try await reports.requestReport(client, ws, #"{"kind":"subject_erasure","format":"json","subject":\#(subject)}"#)
            _ = try await reports.finished(api, client, ws, erasureID)
            let certificate = try ErasureCertificate.parse(Array(try await reports.download(client, ws, erasureID, query: "?file=erasure-certificate.json").text.utf8))
            let sealed = try #require(certificate.tables.first { $0.table == "audit_seals" })
            #expect(sealed.found == 1 && sealed.pseudonymised == 1 && sealed.remaining == 0)
            #expect(certificate.auditChainIntact)

            let download = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/seals/\(sealID)/segment", auth: .bearer(ws.key))
            #expect(!download.text.contains(email), "the stored segment no longer names her")
            #expect(download.text.contains("bob's laptop"), "other people's rows are untouched")
            let segment = try AuditSegment.decode(download.bytes)
            #expect(segment.problems(pinnedPublicKey: Self.key.publicKey).isEmpty, "a redacted segment still verifies")
            let after = try #require(try Self.items(try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/seals", auth: .bearer(ws.key))).first)
            #expect(after["segment_sha256"] as? String == SHA256Hex.hex(of: download.bytes))
            #expect(after["segment_sha256"] as? String != before["segment_sha256"] as? String)
        }
    }

    /// Retention runs one job per workspace: a workspace whose retention fails (here a stored
    /// audit entry no longer decodes) delays only its own, and the dispatch never enqueues a
    /// second job for a workspace whose job is still pending.
    @Test func aWorkspaceWhoseRetentionFailsDoesNotStopAnothers() async throws {
        try await TestAPI.run { api, client in
            let broken = try await client.createWorkspace(), healthy = try await client.createWorkspace()
            try await CorruptRowTests.corrupt(api, workspace: broken.id, #"UPDATE audit_log SET details = '{"name": 42}' WHERE seq = 1"#)
            api.clock.advance(by: 366 * Self.day)
            _ = try await api.workerServices.housekeeping.cleanupPlatform()
            #expect(try await api.workerServices.housekeeping.dispatchWorkspaceCleanups() == 2)
            #expect(try await api.workerServices.housekeeping.dispatchWorkspaceCleanups() == 0, "a pending job is not enqueued twice")
            try await AlertJobDrain(api).drain(advancingTime: true)

            let kind = HousekeepingJobs.RetentionWorkspaceArgs.kind
            #expect(try await KPIFanOutTests.states(api, kind: kind, workspace: healthy.id) == ["succeeded"])
            #expect(try await KPIFanOutTests.states(api, kind: kind, workspace: broken.id) == ["discarded"])
            let sealed = try Self.items(try await client.call(.get, "/v1/workspaces/\(healthy.slug)/audit-log/seals", auth: .bearer(healthy.key)))
            #expect(sealed.count == 1, "the healthy workspace's year-old entries were sealed")
            #expect(try Self.items(try await client.call(.get, "/v1/workspaces/\(broken.slug)/audit-log/seals", auth: .bearer(broken.key))).isEmpty)
        }
    }

    /// Two retention runs a year apart: the second seal continues the first, verify walks both,
    /// the two downloaded files verify together offline, and the seals list pages by cursor.
    @Test func consecutiveSealsContinueOneAnotherAndPage() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            api.clock.advance(by: 366 * Self.day)
            _ = try await Self.cleanup(api, keepDays: 1000)  // both bodies still downloadable
            _ = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer", name: "second year")
            api.clock.advance(by: 366 * Self.day)
            _ = try await Self.cleanup(api, keepDays: 1000)  // both bodies still downloadable

            let base = "/v1/workspaces/\(ws.slug)/audit-log/seals"
            let first = try await client.call(.get, "\(base)?limit=1", auth: .bearer(ws.key))
            let newest = try #require(try Self.items(first).first)
            let cursor = try #require(first.json["next_cursor"] as? String, "\(first.text)")
            let rest = try await client.call(.get, "\(base)?limit=1&cursor=\(cursor)", auth: .bearer(ws.key))
            let oldest = try #require(try Self.items(rest).first)
            let after = try #require(rest.json["next_cursor"] as? String, "\(rest.text)")
            #expect(try Self.items(try await client.call(.get, "\(base)?limit=1&cursor=\(after)", auth: .bearer(ws.key))).isEmpty)
            #expect(oldest["seq_from"] as? Int == 1)
            #expect(newest["seq_from"] as? Int == (oldest["seq_to"] as? Int ?? 0) + 1)
            #expect(newest["prev_hash"] as? String == oldest["head_hash"] as? String)

            let verify = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log/verify", auth: .bearer(ws.key))
            #expect(verify.json["intact"] as? Bool == true, "\(verify.text)")
            #expect((verify.json["sealed"] as? [String: Any])?["segments"] as? Int == 2)

            var segments: [AuditSegment] = []
            for seal in [oldest, newest] {
                let id = try #require(seal["id"] as? String)
                segments.append(try AuditSegment.decode(try await client.call(.get, "\(base)/\(id)/segment", auth: .bearer(ws.key)).bytes))
            }
            #expect(segments[1].problems(pinnedPublicKey: Self.key.publicKey, after: segments[0].head).isEmpty)
            #expect(segments[0].problems(after: segments[1].head) == [.notContiguous(expected: segments[1].head)])
        }
    }
}
