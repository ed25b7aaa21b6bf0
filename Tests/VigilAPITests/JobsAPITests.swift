import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresClient
import Testing
import VigilCore
import VigilRepositories
import VigilServices

struct JobsAPITests {
    @Test func listsOnlyTheWorkspacesOwnJobsWithFiltersAndPaging() async throws {
        try await TestAPI.run { api, client in
            let a = try await client.createWorkspace()
            let b = try await client.createWorkspace()
            let aID = try #require(UUID(uuidString: a.id))
            let bID = try #require(UUID(uuidString: b.id))
            let database = api.services.database
            for i in 0..<3 {
                try await database.inWorkspace(aID) {
                    _ = try await JobQueue().enqueue(NewJob(workspaceID: aID, kind: "notification.deliver", argsJSON: #"{"n":\#(i)}"#,
                                                                correlationID: "req-\(i)"), on: $0)
                }
            }
            try await database.inWorkspace(aID) { _ = try await JobQueue().enqueue(NewJob(workspaceID: aID, kind: "digest.send"), on: $0) }
            try await database.inWorkspace(bID) { _ = try await JobQueue().enqueue(NewJob(workspaceID: bID, kind: "secret.job"), on: $0) }

            let all = try await client.call(.get, "/v1/workspaces/\(a.slug)/jobs", auth: .bearer(a.key))
            #expect(all.status == .ok)
            let items = try #require(all.json["items"] as? [[String: Any]])
            #expect(items.map { $0["kind"] as? String } == ["digest.send", "notification.deliver", "notification.deliver", "notification.deliver"])
            #expect(!all.text.contains("secret.job"))
            let first = try #require(items.last)
            #expect(first["state"] as? String == "available")
            #expect(first["correlation_id"] as? String == "req-0")
            #expect((first["args"] as? [String: Any])?["n"] as? Int == 0)

            let page = try await client.call(.get, "/v1/workspaces/\(a.slug)/jobs?kind=notification.deliver&limit=2", auth: .bearer(a.key))
            #expect((page.json["items"] as? [[String: Any]])?.count == 2)
            let cursor = try #require(page.json["next_cursor"] as? String)
            let rest = try await client.call(.get, "/v1/workspaces/\(a.slug)/jobs?kind=notification.deliver&limit=2&cursor=\(cursor)",
                                             auth: .bearer(a.key))
            #expect((rest.json["items"] as? [[String: Any]])?.count == 1)

            let none = try await client.call(.get, "/v1/workspaces/\(a.slug)/jobs?state=discarded", auth: .bearer(a.key))
            #expect((none.json["items"] as? [[String: Any]])?.isEmpty == true)

            try await client.call(.get, "/v1/workspaces/\(a.slug)/jobs?state=exploded", auth: .bearer(a.key))
                .expectErrorEnvelope(.badRequest, "invalid_request")
            try await client.call(.get, "/v1/workspaces/\(a.slug)/jobs?cursor=bogus", auth: .bearer(a.key))
                .expectErrorEnvelope(.badRequest, "invalid_request")
        }
    }
}
