import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilServices

/// KPI event dimensions are redacted by the workspace's policy before they are stored, as
/// metric tags are: an email as a dimension value never reaches the events or the rollups.
struct KPIRedactionTests {
    @Test func dimensionValuesAreMaskedOrPseudonymisedAndKeptWhenAllowed() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let put = try await client.call(.put, "/v1/workspaces/\(ws.slug)/kpis/orders", auth: .bearer(ws.key),
                                            json: #"{"name":"Orders","unit":"orders","aggregation":"count","direction":"higher_is_better"}"#)
            #expect(put.status == .created, "\(put.text)")
            func record(_ customer: String) async throws {
                let reply = try await client.call(.post, "/v1/workspaces/\(ws.slug)/kpis/orders/events", auth: .bearer(ws.key),
                                                  json: #"{"events":[{"dimensions":{"customer":"\#(customer)","plan":"pro"}}]}"#)
                #expect(reply.status == .accepted, "\(reply.text)")
            }
            func breakdown() async throws -> Set<String> {
                let grouped = try await client.call(.get, "/v1/workspaces/\(ws.slug)/kpis/orders?period=day&group_by=customer", auth: .bearer(ws.key))
                return Set((grouped.json["breakdown"] as? [[String: Any]] ?? []).compactMap { $0["dimension_value"] as? String })
            }
            try await record("alice@example.com")
            try await record("bob@example.com")
            #expect(try await breakdown() == ["[EMAIL]"], "mask mode: both customers become the placeholder")

            #expect(try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key),
                                          json: #"{"settings":{"redaction":{"mode":"pseudonymize"}}}"#).status == .ok)
            try await record("alice@example.com")
            try await record("alice@example.com")
            let tokens = try await breakdown().filter { $0.hasPrefix("[EMAIL:") }
            #expect(tokens.count == 1, "one person, one token: \(tokens)")

            #expect(try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key),
                                          json: #"{"settings":{"redaction":{"allowed_tag_keys":["customer"]}}}"#).status == .ok)
            try await record("carol@example.com")
            #expect(try await breakdown().contains("carol@example.com"), "an allow-listed dimension is kept verbatim")
        }
    }
}
