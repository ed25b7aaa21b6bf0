import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilPrimitives

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

    /// Behind a trusted load balancer the audit names the client it forwarded; a header from
    /// anyone else is ignored.
    @Test(arguments: [
        ("127.0.0.0/8", "198.51.100.7, 203.0.113.9", "203.0.113.9"),   // trusted peer: the entry it appended
        ("10.0.0.0/8", "203.0.113.9", "127.0.0.1"),                    // the peer is not a trusted proxy: its header is ignored
    ])
    func auditNamesTheClientBehindTrustedProxies(trusted: String, forwardedFor: String, expected: String) async throws {
        try await TestAPI.run(testing: .live, trustedProxies: try TrustedProxies(settingText: trusted)) { _, client in
            let ws = try await client.createWorkspace()
            let created = try await client.call(.post, "/v1/workspaces/\(ws.slug)/api-keys", auth: .bearer(ws.key),
                                                json: #"{"name":"via-lb","role":"viewer"}"#,
                                                headers: [HTTPField.Name("X-Forwarded-For")!: forwardedFor])
            #expect(created.status == .created, "\(created.text)")
            let log = try await client.call(.get, "/v1/workspaces/\(ws.slug)/audit-log?action=api_key.create", auth: .bearer(ws.key))
            let entry = try #require((log.json["items"] as? [[String: Any]])?.first, "\(log.text)")  // newest first
            #expect(entry["source_ip"] as? String == expected, "\(entry)")
        }
    }
}
