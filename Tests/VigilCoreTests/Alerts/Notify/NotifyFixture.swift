import Foundation
import Testing
import VigilCore

/// Shared inputs for the notification tests.
enum NotifyFixture {
    /// 2025-01-01T00:00:00Z
    static let t0 = Date(timeIntervalSince1970: 1_735_689_600)

    static func alert(title: String = "High CPU", message: String = "CPU above 90% for 5 minutes",
                      source: String = "api", severity: AlertSeverity = .critical, state: AlertState = .triggered,
                      labels: [String: String] = ["env": "prod", "service": "api"],
                      annotations: [String: String] = ["runbook": "https://runbooks.example/cpu"],
                      acknowledgedAt: Date? = nil, resolvedAt: Date? = nil,
                      link: String? = "https://vigil.example/alerts/6f1c0e9a-3b1d-4c55-9a61-2f5d7c8e9b10") -> AlertSnapshot {
        AlertSnapshot(id: "6f1c0e9a-3b1d-4c55-9a61-2f5d7c8e9b10", workspace: "acme",
                      fingerprint: "3f0a9c2d4b5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8",
                      title: title, message: message, source: source, severity: severity, state: state,
                      labels: labels, annotations: annotations, occurrenceCount: 3,
                      triggeredAt: t0, lastSeenAt: t0.addingTimeInterval(300),
                      acknowledgedAt: acknowledgedAt, resolvedAt: resolvedAt, link: link)
    }

    /// Strings that break naive JSON, HTML, Slack mrkdwn or mail headers.
    static let nastyStrings: [String] = [
        #"say "hi""#,
        #"back\slash"#,
        "line1\nline2\r\nline3",
        "tab\there",
        "<script>alert('x')</script>",
        "<!channel> & <https://evil.example|click>",
        "Überlast 🔥 日本語",
        "e\u{301} (combining)",
        "\u{2028}sep\u{2029}",
        "bell\u{07} esc\u{1B} del\u{7F}",
        "nul\u{0}inside",
    ]

    /// The body parsed back with Foundation's own JSON parser (an independent check of ours).
    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        return try #require(value as? [String: Any])
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}

extension Dictionary where Key == String, Value == Any {
    func object(_ key: String) throws -> [String: Any] { try #require(self[key] as? [String: Any]) }
    func array(_ key: String) throws -> [[String: Any]] { try #require(self[key] as? [[String: Any]]) }
    func string(_ key: String) -> String? { self[key] as? String }
    func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
    func strings(_ key: String) -> [String: String]? { self[key] as? [String: String] }
    func isNull(_ key: String) -> Bool { self[key] is NSNull }
}
