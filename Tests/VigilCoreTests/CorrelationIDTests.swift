import Testing
import VigilCore

struct CorrelationIDTests {
    static let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    // (X-Correlation-ID, X-Request-ID, traceparent, expected)
    static let table: [(String?, String?, String?, String)] = [
        ("abc-123", "req-1", traceparent, "abc-123"),
        (nil, "req-1", traceparent, "req-1"),
        (nil, nil, traceparent, "4bf92f3577b34da6a3ce929d0e0e4736"),
        ("bad value with spaces", "req-1", nil, "req-1"),
        ("<script>", nil, nil, "generated"),
        (String(repeating: "a", count: 129), nil, nil, "generated"),
        (nil, nil, "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "generated"),
        (nil, nil, "garbage", "generated"),
        (nil, nil, "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "generated"),
        ("", "", nil, "generated"),
    ]

    @Test(arguments: table)
    func resolution(correlation: String?, request: String?, traceparent: String?, expected: String) {
        #expect(CorrelationID.resolve(correlationHeader: correlation, requestIDHeader: request, traceparent: traceparent,
                                      generate: { "generated" }) == expected)
    }

    @Test func generatedIDsAre32HexDigitsAndDiffer() {
        let a = CorrelationID.generate(), b = CorrelationID.generate()
        #expect(a.count == 32 && a.allSatisfy(\.isHexDigit))
        #expect(a != b)
    }
}

struct SecretRedactionTests {
    @Test func redactsCredentialLikeKeysOnly() {
        let redacted = SecretRedaction.redact([
            "api_key": "vgl_x", "password": "p", "Authorization": "Bearer x", "webhook_secret": "s", "token": "t",
            "api_key_id": "123", "prefix": "vgl_…ab", "name": "ci", "role": "admin",
        ])
        for key in ["api_key", "password", "Authorization", "webhook_secret", "token"] {
            #expect(redacted[key] == SecretRedaction.placeholder, "\(key)")
        }
        #expect(redacted["api_key_id"] == "123")
        #expect(redacted["prefix"] == "vgl_…ab")
        #expect(redacted["name"] == "ci")
        #expect(redacted["role"] == "admin")
    }
}
