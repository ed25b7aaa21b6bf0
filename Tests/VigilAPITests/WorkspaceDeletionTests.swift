import Foundation
import PostgresClient
import Testing
import VigilCore
import VigilServices

/// Tenant offboarding: every row of one workspace goes, every row of the others stays, and the
/// certificate's figures are the rows that were there.
struct WorkspaceDeletionTests {
    /// Rows of `workspaceID` in every table with a workspace_id column, read as the superuser
    /// (no row-level security), independently of the function under test.
    static func rowsPerTable(_ api: TestAPI, _ workspaceID: String) async throws -> [String: Int] {
        let connection = try await api.db.ownerConnection()
        defer { Task { await connection.close() } }
        let tables = try await connection.query("""
            SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
            """).map { try $0.decode("name", as: String.self) }
        var counts: [String: Int] = [:]
        for table in tables {
            counts[table] = try await connection.query(
                "SELECT count(*)::integer AS n FROM \(unescaped: table) WHERE workspace_id = \(UUID(uuidString: workspaceID)!)"
            ).first!.decode("n", as: Int.self)
        }
        return counts
    }

    @Test func deletingAWorkspaceErasesEveryRowOfItAndNothingElse() async throws {
        try await TestAPI.run { api, client in
            var ids: [String] = []
            for _ in 0..<2 {
                let ws = try await client.createWorkspace()
                ids.append(ws.id)
                let points = #"{"points":[{"name":"http.request.duration","kind":"timing","value":12,"tags":{"status":"200"}}]}"#
                #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/metrics", auth: .bearer(ws.key), json: points).status == .ok)
                #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(ws.key),
                                              json: #"{"title":"disk full","severity":"high","source":"test"}"#).status == .created)
                #expect(try await client.call(.post, "/v1/workspaces/\(ws.slug)/api-keys", auth: .bearer(ws.key),
                                              json: #"{"name":"viewer","role":"viewer"}"#).status == .created)
            }
            let (doomed, kept) = (ids[0], ids[1])
            let before = try await Self.rowsPerTable(api, doomed)
            let keptBefore = try await Self.rowsPerTable(api, kept)
            #expect(before.values.reduce(0, +) > 5, "the workspace had data in several tables: \(before)")

            let workspace = try await api.services.workspaces.find(reference: doomed)
            let certificate = try await api.asMigrator {
                try await $0.workspaces.delete(workspace, actor: .system("test"), metadata: .init(correlationID: "t", sourceIP: nil))
            }

            #expect(certificate.isComplete)
            for (table, rows) in before {
                #expect(certificate.tables.first { $0.name == table }?.found == rows, "\(table): the certificate counts what was there")
            }
            #expect(try await Self.rowsPerTable(api, doomed).values.allSatisfy { $0 == 0 }, "nothing of the workspace remains")
            #expect(try await Self.rowsPerTable(api, kept) == keptBefore, "the other workspace is untouched")
            await #expect(throws: ServiceError.self) { try await api.services.workspaces.find(reference: doomed) }
            // The certificate's checksum is over its canonical JSON, and the platform chain records it.
            #expect(certificate.checksum == SHA256Hex.hex(of: certificate.canonicalJSON(includingChecksum: false).bytes))
            let platform = try await api.services.audit.verify(in: AuditTrail.platformWorkspaceID)
            #expect(platform.intact)
        }
    }
}
