import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Over a real loopback socket: what only a live server shows (peer address, Content-Length).
struct LiveServerTests {
    @Test func auditRowsCarryTheCallersIPAndOversizedBodiesAreRefusedUpFront() async throws {
        try await TestAPI.run(maxBodyBytes: 4096, testing: .live) { _, client in
            let ws = try await client.createWorkspace()
            let log = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log", auth: .bearer(ws.key))
            let items = try #require(log.json["items"] as? [[String: Any]])
            #expect(items.first?["source_ip"] as? String == "127.0.0.1")

            let big = #"{"name": "\#(String(repeating: "x", count: 10_000))"}"#
            try await client.call(.post, "/v1/workspaces", auth: .bearer(TestAPI.adminToken), json: big)
                .expectErrorEnvelope(.contentTooLarge, "payload_too_large")
            // The server is still fine afterwards.
            #expect(try await client.call(.get, "/healthz").status == .ok)
        }
    }
}
