import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilServices

/// Alert texts written by clients (the alerts API and the Alertmanager webhook) pass the
/// workspace's redaction policy before they are stored: an email in a title or a label never
/// reaches the alerts table, the timeline or the notifications built from them.
struct AlertRedactionTests {
    @Test func apiAlertsAreStoredRedactedAndPseudonymsKeepPeopleApart() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let alertsPath = "/v1/workspaces/\(ws.slug)/alerts"
            func submit(_ who: String) async throws -> (outcome: String?, alert: [String: Any]) {
                let reply = try await client.call(.post, alertsPath, auth: .bearer(ws.key), json: """
                    {"title":"Payment failed for \(who)","message":"card declined for \(who) from 192.0.2.44","severity":"warning",
                     "source":"checkout","labels":{"customer":"\(who)","service":"checkout"},"annotations":{"note":"mail \(who)"}}
                    """)
                #expect(reply.status == .created || reply.status == .ok, "\(reply.text)")
                return (reply.json["outcome"] as? String, reply.json["alert"] as? [String: Any] ?? [:])
            }
            // Mask mode (the default): the stored texts hold placeholders only.
            let masked = try await submit("alice@example.com")
            #expect(masked.alert["title"] as? String == "Payment failed for [EMAIL]")
            #expect(masked.alert["message"] as? String == "card declined for [EMAIL] from [IP]")
            #expect((masked.alert["labels"] as? [String: String]) == ["customer": "[EMAIL]", "service": "checkout"])
            #expect((masked.alert["annotations"] as? [String: String]) == ["note": "mail [EMAIL]"])
            let listed = try await client.call(.get, "\(alertsPath)?limit=50", auth: .bearer(ws.key))
            #expect(listed.status == .ok)
            #expect(!listed.text.contains("alice@example.com"), "the list must not show the address: \(listed.text)")
            // Another customer's alert reads the same once masked: it is the same alert again.
            #expect(try await submit("bob@example.com").outcome == "deduplicated")

            #expect(try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key),
                                          json: #"{"settings":{"redaction":{"mode":"pseudonymize"}}}"#).status == .ok)
            let carol = try await submit("carol@example.com")
            let dave = try await submit("dave@example.com")
            let carolTitle = try #require(carol.alert["title"] as? String)
            #expect(carolTitle.hasPrefix("Payment failed for [EMAIL:"), "\(carolTitle)")
            #expect(carol.outcome == "created" && dave.outcome == "created", "pseudonyms keep two customers apart")
            #expect(try await submit("carol@example.com").outcome == "deduplicated", "one customer, one token, one alert")

            #expect(try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key),
                                          json: #"{"settings":{"redaction":{"enabled":false}}}"#).status == .ok)
            let kept = try await submit("erin@example.com")
            #expect(kept.alert["title"] as? String == "Payment failed for erin@example.com", "policy off: stored as sent")
        }
    }

    @Test func alertmanagerLabelsAreRedactedAndResolvesStillFindTheirAlert() async throws {
        try await TestAPI.run { _, client in
            let ws = try await client.createWorkspace()
            let path = "/v1/workspaces/\(ws.slug)/integrations/alertmanager"
            func message(_ status: String, name: String = "LoginFailures", fingerprint: String = "0a1b2c3d4e5f6789") -> String {
                #"{"version":"4","status":"\#(status)","alerts":[{"status":"\#(status)","# +
                    #""labels":{"alertname":"\#(name)","user":"frank@example.com","instance":"10.0.0.5:9100"},"# +
                    #""annotations":{"summary":"failed logins for frank@example.com"},"fingerprint":"\#(fingerprint)"}]}"#
            }
            let fired = try await client.call(.post, path, auth: .bearer(ws.key), json: message("firing"))
            #expect(fired.status == .ok, "\(fired.text)")
            #expect(fired.json["created"] as? Int == 1)
            let open = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?limit=10", auth: .bearer(ws.key))
            let alert = try #require((open.json["items"] as? [[String: Any]])?.first)
            let labels = try #require(alert["labels"] as? [String: String])
            #expect(labels["user"] == "[EMAIL]")
            #expect(labels["alertname"] == "LoginFailures")
            #expect(labels["instance"]?.contains("10.0.0.5") == false, "\(labels)")
            #expect(!open.text.contains("frank@example.com"), "\(open.text)")

            let resolved = try await client.call(.post, path, auth: .bearer(ws.key), json: message("resolved"))
            #expect(resolved.json["resolved"] as? Int == 1, "the resolve finds the alert by Alertmanager's fingerprint: \(resolved.text)")

            // An allow-listed label name keeps its value verbatim.
            #expect(try await client.call(.patch, "/v1/workspaces/\(ws.slug)", auth: .bearer(ws.key),
                                          json: #"{"settings":{"redaction":{"allowed_tag_keys":["instance"]}}}"#).status == .ok)
            #expect(try await client.call(.post, path, auth: .bearer(ws.key),
                                          json: message("firing", name: "NodeDown", fingerprint: "1122334455667788")).status == .ok)
            let again = try await client.call(.get, "/v1/workspaces/\(ws.slug)/alerts?limit=10", auth: .bearer(ws.key))
            let nodeDown = try #require((again.json["items"] as? [[String: Any]])?
                .compactMap { $0["labels"] as? [String: String] }.first { $0["alertname"] == "NodeDown" })
            #expect(nodeDown["instance"] == "10.0.0.5:9100", "\(again.text)")
            #expect(nodeDown["user"] == "[EMAIL]")
        }
    }
}
