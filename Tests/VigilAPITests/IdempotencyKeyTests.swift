import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import VigilCore
import VigilRepositories
import VigilServices
import VigilTestFixtures

/// `Idempotency-Key` on the creating operations, against the real database: a replay answers
/// the first answer and stores nothing again, a different body is 409, keys are per workspace,
/// a malformed key is 400, an expired key is forgotten.
struct IdempotencyKeyTests {
    static let header = HTTPField.Name("Idempotency-Key")!

    static func keyed(_ key: String) -> HTTPFields { [header: key] }

    /// One number computed past row-level security (the owner's connection), for a workspace.
    func count(_ api: TestAPI, _ sql: PostgresQuery) async throws -> Int {
        let owner = try await api.db.ownerConnection()
        do {
            let n = try await owner.query(sql).first?.decode("n", as: Int.self) ?? -1
            await owner.close()
            return n
        } catch {
            await owner.close()
            throw error
        }
    }

    func points(_ api: TestAPI, _ ws: TestWorkspace) async throws -> Int {
        try await count(api, "SELECT count(*)::integer AS n FROM metric_points WHERE workspace_id = \(UUID(uuidString: ws.id)!)")
    }

    static let batch = #"{"points":[{"name":"orders.placed","kind":"counter","value":1},{"name":"orders.placed","kind":"counter","value":2,"tags":{"shop":"eu"}}]}"#

    @Test func anIngestReplayReturnsTheFirstAnswerAndStoresThePointsOnce() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let path = "/v1/workspaces/\(ws.slug)/metrics"
            let first = try await client.call(.post, path, auth: .bearer(ws.key), json: Self.batch, headers: Self.keyed("batch-0001"))
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.json["accepted"] as? Int == 2)
            #expect(try await points(api, ws) == 2)

            // The client never saw the answer (say) and retries: the same answer, nothing stored again.
            let replay = try await client.call(.post, path, auth: .bearer(ws.key), json: Self.batch, headers: Self.keyed("batch-0001"))
            #expect(replay.status == first.status)
            #expect(replay.text == first.text)
            #expect(try await points(api, ws) == 2, "a replay must not store the points again")

            // The same points written differently (whitespace, key order) are the same request.
            let reordered = #"{ "points": [ {"kind":"counter","name":"orders.placed","value":1}, {"value":2,"kind":"counter","tags":{"shop":"eu"},"name":"orders.placed"} ] }"#
            let again = try await client.call(.post, path, auth: .bearer(ws.key), json: reordered, headers: Self.keyed("batch-0001"))
            #expect(again.status == .ok && again.text == first.text, "\(again.text)")
            #expect(try await points(api, ws) == 2)

            // Without a key, or with a new one, the same body is a new write.
            #expect(try await client.call(.post, path, auth: .bearer(ws.key), json: Self.batch).status == .ok)
            #expect(try await client.call(.post, path, auth: .bearer(ws.key), json: Self.batch, headers: Self.keyed("batch-0002")).status == .ok)
            #expect(try await points(api, ws) == 6)
        }
    }

    @Test func theSameKeyWithAnotherBodyIsAConflictAndAppliesNothing() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let path = "/v1/workspaces/\(ws.slug)/metrics"
            #expect(try await client.call(.post, path, auth: .bearer(ws.key), json: Self.batch, headers: Self.keyed("k-1")).status == .ok)
            let other = #"{"points":[{"name":"orders.placed","kind":"counter","value":5}]}"#
            let reply = try await client.call(.post, path, auth: .bearer(ws.key), json: other, headers: Self.keyed("k-1"))
            reply.expectErrorEnvelope(.conflict, "idempotency_key_reused")
            #expect(((reply.json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == "Idempotency-Key")
            #expect(try await points(api, ws) == 2)
        }
    }

    @Test func aKeyInAnotherWorkspaceIsIndependent() async throws {
        try await TestAPI.run { api, client in
            let a = try await client.createWorkspace(), b = try await client.createWorkspace()
            #expect(try await client.call(.post, "/v1/workspaces/\(a.slug)/metrics", auth: .bearer(a.key), json: Self.batch,
                                          headers: Self.keyed("shared-key")).status == .ok)
            // B uses the same key with another body: neither a replay of A's answer nor a conflict.
            let other = #"{"points":[{"name":"orders.placed","kind":"counter","value":5}]}"#
            let inB = try await client.call(.post, "/v1/workspaces/\(b.slug)/metrics", auth: .bearer(b.key), json: other,
                                            headers: Self.keyed("shared-key"))
            #expect(inB.status == .ok, "\(inB.text)")
            #expect(inB.json["accepted"] as? Int == 1)
            #expect(try await points(api, a) == 2)
            #expect(try await points(api, b) == 1)
            // And A's key still answers A's first answer.
            let replayA = try await client.call(.post, "/v1/workspaces/\(a.slug)/metrics", auth: .bearer(a.key), json: Self.batch,
                                                headers: Self.keyed("shared-key"))
            #expect(replayA.json["accepted"] as? Int == 2)
            #expect(try await points(api, a) == 2)
            #expect(try await count(api, "SELECT count(*)::integer AS n FROM idempotency_keys WHERE key = 'shared-key'") == 2)
        }
    }

    static let badKeys = ["", "two words", String(repeating: "k", count: 256), "tab\tkey", "ünïcode"]

    @Test(arguments: badKeys.indices)
    func aMalformedKeyIsRefusedAndNothingIsStored(index: Int) async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            for path in ["metrics", "alerts"] {
                let body = path == "metrics" ? Self.batch : #"{"title":"disk full","severity":"high","source":"test"}"#
                let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/\(path)", auth: .bearer(ws.key), json: body,
                                                  headers: Self.keyed(Self.badKeys[index]))
                reply.expectErrorEnvelope(.badRequest, "invalid_request")
                #expect(((reply.json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == "Idempotency-Key", "\(path): \(reply.text)")
            }
            #expect(try await points(api, ws) == 0)
            #expect(try await count(api, "SELECT count(*)::integer AS n FROM alerts WHERE workspace_id = \(UUID(uuidString: ws.id)!)") == 0)
        }
    }

    @Test func theLongestKeyIsAccepted() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let key = String(repeating: "~", count: 255)
            let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: Self.batch, headers: Self.keyed(key))
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(try await count(api, "SELECT count(*)::integer AS n FROM idempotency_keys WHERE key = \(key)") == 1)
        }
    }

    @Test func aKeyIsForgottenAfterTwentyFourHoursAndPrunedByRetention() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let path = "/v1/workspaces/\(ws.slug)/metrics"
            #expect(try await client.call(.post, path, auth: .bearer(ws.key), json: Self.batch, headers: Self.keyed("day-1")).status == .ok)
            api.clock.advance(by: 86_400 - 60)
            #expect(try await client.call(.post, path, auth: .bearer(ws.key), json: Self.batch, headers: Self.keyed("day-1")).status == .ok)
            #expect(try await points(api, ws) == 2, "still remembered just under 24 h later")
            api.clock.advance(by: 120)
            #expect(try await client.call(.post, path, auth: .bearer(ws.key), json: Self.batch, headers: Self.keyed("day-1")).status == .ok)
            #expect(try await points(api, ws) == 4, "forgotten after 24 h: the same key applies again")

            // Retention deletes records older than a day; the one just written stays.
            let workspaceID = UUID(uuidString: ws.id)!
            let owner = try await api.db.ownerConnection()
            try await owner.execute("""
                INSERT INTO idempotency_keys (workspace_id, operation, key, fingerprint, response_status, response_body, created_at, expires_at)
                VALUES (\(workspaceID), 'ingest_metrics', 'ancient', \(String(repeating: "0", count: 64)), 200, '\\x7b7d'::bytea,
                        now() - interval '3 days', now() - interval '2 days')
                """)
            await owner.close()
            let report = try await HousekeepingService(database: api.workerServices.database, logger: MigratedDatabase.logger).cleanup()
            #expect(report.removed[workspaceID]?["idempotency_keys"] == 1)
            #expect(try await count(api, "SELECT count(*)::integer AS n FROM idempotency_keys WHERE workspace_id = \(workspaceID)") == 1)
        }
    }

    @Test func kpiEventsReplayAndConflict() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let put = try await client.call(.put, "/v1/workspaces/\(ws.slug)/kpis/signups", auth: .bearer(ws.key),
                                            json: #"{"name":"Sign-ups","unit":"users","aggregation":"sum","target":10,"direction":"higher_is_better"}"#)
            #expect(put.status == .created, "\(put.text)")
            let path = "/v1/workspaces/\(ws.slug)/kpis/signups/events"
            let body = #"{"events":[{"value":3},{"value":4,"dimensions":{"country":"de"}}]}"#
            let events: PostgresQuery = "SELECT count(*)::integer AS n FROM kpi_events WHERE workspace_id = \(UUID(uuidString: ws.id)!)"
            let first = try await client.call(.post, path, auth: .bearer(ws.key), json: body, headers: Self.keyed("kpi-1"))
            #expect(first.status == .accepted, "\(first.text)")
            let replay = try await client.call(.post, path, auth: .bearer(ws.key), json: body, headers: Self.keyed("kpi-1"))
            #expect(replay.status == .accepted && replay.text == first.text)
            #expect(try await count(api, events) == 2)
            try await client.call(.post, path, auth: .bearer(ws.key), json: #"{"events":[{"value":9}]}"#, headers: Self.keyed("kpi-1"))
                .expectErrorEnvelope(.conflict, "idempotency_key_reused")
            #expect(try await count(api, events) == 2)
        }
    }

    @Test func anAlertReplayIsNotADuplicateOccurrence() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let path = "/v1/workspaces/\(ws.slug)/alerts"
            let body = #"{"title":"disk full","severity":"high","source":"test","labels":{"host":"db-1"}}"#
            let first = try await client.call(.post, path, auth: .bearer(ws.key), json: body, headers: Self.keyed("alert-1"))
            #expect(first.status == .created, "\(first.text)")
            let replay = try await client.call(.post, path, auth: .bearer(ws.key), json: body, headers: Self.keyed("alert-1"))
            #expect(replay.status == .created, "the first answer's status, not 200 deduplicated")
            #expect(replay.text == first.text)
            let occurrences = try await count(api, """
                SELECT sum(occurrence_count)::integer AS n FROM alerts WHERE workspace_id = \(UUID(uuidString: ws.id)!)
                """)
            #expect(occurrences == 1, "a replay must not count another occurrence")
            try await client.call(.post, path, auth: .bearer(ws.key), json: #"{"title":"disk full","severity":"low","source":"test"}"#,
                                  headers: Self.keyed("alert-1")).expectErrorEnvelope(.conflict, "idempotency_key_reused")
        }
    }

    /// The generated server percent-decodes header values (`+` becomes a space, `%zz` cannot be
    /// decoded and reads as absent); the key is taken from the raw header, as the spec writes it.
    @Test(arguments: ["+", "a+b", "%zz", "%41", "100%"])
    func keysAreTakenAsSentNotPercentDecoded(_ key: String) async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let path = "/v1/workspaces/\(ws.slug)/alerts"
            let body = #"{"title":"disk full","severity":"high","source":"test"}"#
            let first = try await client.call(.post, path, auth: .bearer(ws.key), json: body, headers: Self.keyed(key))
            #expect(first.status == .created, "\(key): \(first.text)")
            let replay = try await client.call(.post, path, auth: .bearer(ws.key), json: body, headers: Self.keyed(key))
            #expect(replay.text == first.text, "\(key) replays")
            let occurrences = try await count(api, """
                SELECT sum(occurrence_count)::integer AS n FROM alerts WHERE workspace_id = \(UUID(uuidString: ws.id)!)
                """)
            #expect(occurrences == 1, "\(key): the replay applied nothing")
        }
    }

    @Test func aComplianceReportReplayQueuesOneReport() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let path = "/v1/workspaces/\(ws.slug)/compliance/reports"
            let first = try await client.call(.post, path, auth: .bearer(ws.key), json: #"{"kind":"retention"}"#, headers: Self.keyed("report-1"))
            #expect(first.status == .accepted, "\(first.text)")
            let replay = try await client.call(.post, path, auth: .bearer(ws.key), json: #"{"kind":"retention"}"#, headers: Self.keyed("report-1"))
            #expect(replay.status == .accepted && replay.text == first.text)
            #expect(try await count(api, "SELECT count(*)::integer AS n FROM compliance_reports WHERE workspace_id = \(UUID(uuidString: ws.id)!)") == 1)
            try await client.call(.post, path, auth: .bearer(ws.key), json: #"{"kind":"audit_readiness"}"#, headers: Self.keyed("report-1"))
                .expectErrorEnvelope(.conflict, "idempotency_key_reused")
        }
    }

    /// Concurrent requests with one key: exactly one applies; every answer is the first answer.
    @Test func concurrentRequestsWithOneKeyApplyOnce() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let path = "/v1/workspaces/\(ws.slug)/metrics"
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<6 {
                    group.addTask { try await client.call(.post, path, auth: .bearer(ws.key), json: Self.batch, headers: Self.keyed("racing")) }
                }
                return try await group.reduce(into: [Reply]()) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == .ok && $0.json["accepted"] as? Int == 2 }, "\(replies.map(\.text))")
            #expect(try await points(api, ws) == 2)
        }
    }
}
