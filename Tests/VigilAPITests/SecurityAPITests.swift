import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilServices

/// Security intelligence end to end: events are stored and scored, an address crossing the
/// threshold is blocked, alerted on and listed for edges (JSON and text, ETag round trip) until
/// the block expires; manual blocks, tenancy, redaction and validation.
struct SecurityAPITests {
    static func events(_ items: [String]) -> String { #"{"events":["# + items.joined(separator: ",") + "]}" }

    static func sqli(_ ip: String, _ pattern: String = "union", extra: String = "") -> String {
        #"{"kind":"sql_injection","sub_kind":"\#(pattern)","source_ip":"\#(ip)","endpoint":"/api/search"\#(extra)}"#
    }

    @Test func anAddressOverTheThresholdIsBlockedListedForEdgesAndReleased() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let edge = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "edge").key
            let ingest = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "ingest").key
            let base = "/v1/workspaces/\(ws.slug)/security"

            // Four attempts: 100 points, not above the threshold.
            let first = try await client.call(.post, base + "/events", auth: .bearer(ingest), json: Self.events((0..<4).map { _ in Self.sqli("203.0.113.9") }))
            #expect(first.status == .accepted, "\(first.text)")
            #expect(first.json["accepted"] as? Int == 4 && (first.json["blocked"] as? [String])?.isEmpty == true, "\(first.text)")
            let empty = try await client.call(.get, base + "/blocklist", auth: .bearer(edge))
            #expect(empty.status == .ok && (empty.json["items"] as? [Any])?.isEmpty == true, "\(empty.text)")
            let emptyTag = try #require(empty.headers[.eTag])

            // The fifth crosses it.
            let fifth = try await client.call(.post, base + "/events", auth: .bearer(ingest), json: Self.events([Self.sqli("::ffff:203.0.113.9", "time_blind")]))
            #expect(fifth.json["blocked"] as? [String] == ["203.0.113.9"], "\(fifth.text)")

            let list = try await client.call(.get, base + "/blocklist", auth: .bearer(edge))
            let items = try #require(list.json["items"] as? [[String: Any]])
            #expect(items.map { $0["address"] as? String } == ["203.0.113.9"])
            #expect(items.first?["source"] as? String == "automatic")
            let tag = try #require(list.headers[.eTag])
            #expect(tag != emptyTag && tag.hasPrefix("\""), "\(tag)")
            var conditional = HTTPFields()
            conditional[.ifNoneMatch] = tag
            let unchanged = try await client.call(.get, base + "/blocklist", auth: .bearer(edge), headers: conditional)
            #expect(unchanged.status == .notModified && unchanged.text.isEmpty && unchanged.headers[.eTag] == tag)
            var oversized = HTTPFields()
            oversized[.ifNoneMatch] = "p fWiYy'1KucZ;" + String(repeating: "x%]z", count: 60)   // also undecodable for the generated server
            try await client.call(.get, base + "/blocklist", auth: .bearer(edge), headers: oversized).expectErrorEnvelope(.badRequest, "invalid_request")
            let text = try await client.call(.get, base + "/blocklist.txt", auth: .bearer(edge))
            #expect(text.status == .ok && text.text == "203.0.113.9\n", "\(text.text)")
            #expect(text.headers[.eTag] == "\"" + SHA256Hex.hex(of: text.text) + "\"", "the text form's tag is the SHA-256 of its body")
            #expect(text.headers[.contentType]?.hasPrefix("text/plain") == true)
            var textConditional = HTTPFields()
            textConditional[.ifNoneMatch] = try #require(text.headers[.eTag])
            #expect(try await client.call(.get, base + "/blocklist.txt", auth: .bearer(edge), headers: textConditional).status == .notModified)

            // The alert the reference systems call IPThreatScoreHigh.
            let alerts = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?label=alertname%3DIPThreatScoreHigh", auth: .bearer(ws.key))
            let alert = try #require((alerts.json["items"] as? [[String: Any]])?.first, "\(alerts.text)")
            #expect(alert["severity"] as? String == "critical")
            #expect((alert["labels"] as? [String: String])?["address"] == "203.0.113.9")

            // The address page: score, block, events, history.
            let page = try await client.call(.get, base + "/ips/203.0.113.9", auth: .bearer(ws.key))
            #expect(page.json["blocked"] as? Bool == true, "\(page.text)")
            #expect((page.json["score"] as? Double ?? 0) > 100)
            #expect((page.json["recent_events"] as? [[String: Any]])?.count == 5)
            #expect((page.json["history"] as? [[String: Any]])?.first?["actor"] as? String == "vigil:security")

            // An edge key reads the blocklist and nothing else.
            try await client.call(.get, base + "/events", auth: .bearer(edge)).expectErrorEnvelope(.forbidden, "forbidden")
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts", auth: .bearer(edge)).expectErrorEnvelope(.forbidden, "forbidden")
            try await client.call(.post, base + "/events", auth: .bearer(edge), json: Self.events([Self.sqli("198.51.100.1")]))
                .expectErrorEnvelope(.forbidden, "forbidden")
            try await client.call(.get, base + "/blocklist", auth: .bearer(ingest)).expectErrorEnvelope(.forbidden, "forbidden")

            // An hour later the block has expired: the list is empty again, with the empty list's tag.
            api.clock.advance(by: 61 * 60)
            let expired = try await client.call(.get, base + "/blocklist", auth: .bearer(edge), headers: conditional)
            #expect(expired.status == .ok && (expired.json["items"] as? [Any])?.isEmpty == true, "\(expired.text)")
            #expect(expired.headers[.eTag] == emptyTag)
            let decayed = try await client.call(.get, base + "/ips/203.0.113.9", auth: .bearer(ws.key))
            #expect(decayed.json["blocked"] as? Bool == false && (decayed.json["score"] as? Double ?? 999) < 40, "\(decayed.text)")
        }
    }

    @Test func anAddressBlockedInOneWorkspaceIsNotBlockedInAnother() async throws {
        try await TestAPI.run { _, client in
            let a = try await client.createWorkspace(), b = try await client.createWorkspace()
            let blocked = try await client.call(.post, "/v1/workspaces/\(a.slug)/security/events", auth: .bearer(a.key),
                                                json: Self.events((0..<6).map { _ in Self.sqli("198.51.100.23") }))
            #expect(blocked.json["blocked"] as? [String] == ["198.51.100.23"])
            let other = try await client.call(.get, "/v1/workspaces/\(b.slug)/security/blocklist.txt", auth: .bearer(b.key))
            #expect(other.status == .ok && other.text.isEmpty)
            let page = try await client.call(.get, "/v1/workspaces/\(b.slug)/security/ips/198.51.100.23", auth: .bearer(b.key))
            #expect(page.json["score"] as? Double == 0 && page.json["blocked"] as? Bool == false, "\(page.text)")
            #expect((page.json["recent_events"] as? [Any])?.isEmpty == true)
            #expect((try await client.call(.get, "/v1/workspaces/\(b.slug)/security/events", auth: .bearer(b.key)).json["items"] as? [Any])?.isEmpty == true)
            // B's key on A's workspace is refused, whatever it guesses.
            try await client.call(.get, "/v1/workspaces/\(a.slug)/security/blocklist", auth: .bearer(b.key)).expectErrorEnvelope(.notFound, "not_found")
            // B's own events on the same address start from zero.
            let own = try await client.call(.post, "/v1/workspaces/\(b.slug)/security/events", auth: .bearer(b.key), json: Self.events([Self.sqli("198.51.100.23")]))
            #expect((own.json["blocked"] as? [String])?.isEmpty == true)
        }
    }

    @Test func manualBlocksOfNetworksAndUnblockWithAnExemption() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let viewer = try await client.createKey(workspace: ws.slug, adminKey: ws.key, role: "viewer").key
            let base = "/v1/workspaces/\(ws.slug)/security"
            let block = #"{"reason":"credential stuffing from this range","minutes":1440}"#
            try await client.call(.post, base + "/ips/203.0.113.0%2F24/block", auth: .bearer(viewer), json: block).expectErrorEnvelope(.forbidden, "forbidden")
            let blocked = try await client.call(.post, base + "/ips/203.0.113.0%2F24/block", auth: .bearer(ws.key), json: block)
            #expect(blocked.status == .ok, "\(blocked.text)")
            #expect(blocked.json["address"] as? String == "203.0.113.0/24" && blocked.json["blocked"] as? Bool == true)
            #expect((blocked.json["block"] as? [String: Any])?["source"] as? String == "manual")
            // An address inside the network shows the covering block.
            let inside = try await client.call(.get, base + "/ips/203.0.113.77", auth: .bearer(viewer))
            #expect((inside.json["covering_blocks"] as? [[String: Any]])?.first?["address"] as? String == "203.0.113.0/24", "\(inside.text)")
            #expect(try await client.call(.get, base + "/blocklist.txt", auth: .bearer(viewer)).text == "203.0.113.0/24\n")

            for (path, body) in [("/ips/10.0.0.0%2F4/block", block), ("/ips/not-an-ip/block", block), ("/ips/203.0.113.0%2F24/block", #"{"minutes":5}"#),
                                 ("/ips/203.0.113.0%2F24/block", #"{"reason":"x","minutes":0}"#), ("/ips/203.0.113.0%2F24/block", #"{"reason":""}"#)] {
                try await client.call(.post, base + path, auth: .bearer(ws.key), json: body).expectErrorEnvelope(.badRequest, "invalid_request")
            }

            let unblocked = try await client.call(.post, base + "/ips/203.0.113.0%2F24/unblock", auth: .bearer(ws.key),
                                                  json: #"{"reason":"office NAT","exempt_minutes":60}"#)
            #expect(unblocked.status == .ok && unblocked.json["blocked"] as? Bool == false, "\(unblocked.text)")
            #expect((unblocked.json["history"] as? [[String: Any]])?.map { $0["action"] as? String } == ["unblock", "block"])
            #expect(try await client.call(.get, base + "/blocklist.txt", auth: .bearer(viewer)).text.isEmpty)
            try await client.call(.post, base + "/ips/198.51.100.200/unblock", auth: .bearer(ws.key), json: #"{"reason":"never seen"}"#)
                .expectErrorEnvelope(.notFound, "not_found")

            // An exempt address is not blocked automatically while the exemption holds.
            try await client.call(.post, base + "/ips/192.0.2.50/block", auth: .bearer(ws.key), json: #"{"reason":"test"}"#)
            try await client.call(.post, base + "/ips/192.0.2.50/unblock", auth: .bearer(ws.key), json: #"{"reason":"our scanner","exempt_minutes":60}"#)
            let scanner = try await client.call(.post, base + "/events", auth: .bearer(ws.key), json: Self.events((0..<8).map { _ in Self.sqli("192.0.2.50") }))
            #expect((scanner.json["blocked"] as? [String])?.isEmpty == true, "\(scanner.text)")
        }
    }

    @Test func aBadBatchStoresNothingAndGetsAClearError() async throws {
        try await TestAPI.run { api, client in
            let ws = try await client.createWorkspace()
            let path = "/v1/workspaces/\(ws.slug)/security/events"
            let old = ISO8601DateFormatter().string(from: api.clock.now.addingTimeInterval(-8 * 86_400))
            for body in [Self.events([]), Self.events([Self.sqli("203.0.113.1"), Self.sqli("203.0.113.0/24")]),
                         Self.events([Self.sqli("203.0.113.1"), Self.sqli("203.0.113.2", extra: #","timestamp":"\#(old)""#)]),
                         Self.events([#"{"kind":"sql_injection","source_ip":"203.0.113.1","sub_kind":"UNION"}"#]),
                         Self.events([#"{"kind":"port_scan"}"#]),
                         Self.events([#"{"kind":"rate_limit","details":{"q":"a\u0000b"}}"#]),
                         Self.events(Array(repeating: #"{"kind":"rate_limit"}"#, count: 1_001))] {
                let reply = try await client.call(.post, path, auth: .bearer(ws.key), json: body)
                #expect(reply.status == .badRequest || reply.status == .contentTooLarge, "\(reply.status): \(reply.text.prefix(200))")
                #expect(reply.errorCode == "invalid_request" || reply.errorCode == "payload_too_large")
            }
            let stored = try await client.call(.get, path, auth: .bearer(ws.key))
            #expect((stored.json["items"] as? [Any])?.isEmpty == true, "nothing of a refused batch is stored: \(stored.text)")
            let page = try await client.call(.get, "/v1/workspaces/\(ws.slug)/security/ips/203.0.113.1", auth: .bearer(ws.key))
            #expect(page.json["score"] as? Double == 0)
            try await client.call(.get, "/v1/workspaces/\(ws.slug)/security?window=721", auth: .bearer(ws.key)).expectErrorEnvelope(.badRequest, "invalid_request")
            try await client.call(.get, path + "?source_ip=10.0.0.0", auth: .bearer(ws.key)).expectStatus(.ok)
        }
    }

    @Test func eventsAreRedactedAndPseudonymisedAddressesStillBlock() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let path = "/v1/workspaces/\(ws.slug)/security/events"
            let body = Self.events([#"{"kind":"auth_failure","source_ip":"192.0.2.9","user_ref":"alice@example.com","details":{"note":"card 4111 1111 1111 1111"}}"#])
            #expect(try await client.call(.post, path, auth: .bearer(ws.key), json: body).status == .accepted)
            let masked = try #require((try await client.call(.get, path, auth: .bearer(ws.key)).json["items"] as? [[String: Any]])?.first)
            #expect(masked["user_ref"] as? String == "[EMAIL]")
            #expect((masked["details"] as? [String: String])?["note"]?.contains("4111") == false)
            #expect(masked["source_ip"] as? String == "192.0.2.9", "mask mode keeps the address the scorer needs")

            let patched = try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key),
                                                json: #"{"settings":{"redaction":{"mode":"pseudonymize"}}}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            let attack = try await client.call(.post, path, auth: .bearer(ws.key), json: Self.events((0..<5).map { _ in Self.sqli("198.51.100.60") }))
            #expect(attack.json["blocked"] as? [String] == ["198.51.100.60"], "\(attack.text)")
            let items = try #require(try await client.call(.get, path + "?kind=sql_injection", auth: .bearer(ws.key)).json["items"] as? [[String: Any]])
            #expect(items.count == 5 && items.allSatisfy { ($0["source_ip"] as? String)?.hasPrefix("[IP:") == true }, "\(items.first ?? [:])")
            #expect(try await client.call(.get, "/v1/workspaces/\(ws.slug)/security/blocklist.txt", auth: .bearer(ws.key)).text == "198.51.100.60\n")
            // The address's events are found through its pseudonym.
            let page = try await client.call(.get, "/v1/workspaces/\(ws.slug)/security/ips/198.51.100.60", auth: .bearer(ws.key))
            #expect((page.json["recent_events"] as? [Any])?.count == 5, "\(page.text.prefix(300))")
            let filtered = try await client.call(.get, path + "?source_ip=198.51.100.60", auth: .bearer(ws.key))
            #expect((filtered.json["items"] as? [Any])?.count == 5)
        }
    }
}

extension Reply {
    func expectStatus(_ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(self.status == status, "body: \(text)", sourceLocation: sourceLocation)
    }
}
