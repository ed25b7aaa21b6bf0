import Foundation
import Testing
import VigilCore

/// The vector was computed outside this code:
/// `printf '%s.%s' 1735689600 '{"alert":"x"}' | openssl dgst -sha256 -hmac whsec_test`
/// (and agrees with Python's `hmac.new(b"whsec_test", b'1735689600.{"alert":"x"}', sha256)`).
struct WebhookSignatureTests {
    static let secret = "whsec_test"
    static let timestamp: Int64 = 1_735_689_600
    static let body = Array(#"{"alert":"x"}"#.utf8)
    static let expected = "10811d71664ce93662614de66274eaf87a46b67fa0d41c0ff970b31f7dedf040"
    static let now = Date(timeIntervalSince1970: 1_735_689_600)

    @Test func fixedVectors() {
        #expect(WebhookSignature.sign(secret: Self.secret, timestamp: Self.timestamp, body: Self.body) == Self.expected)
        #expect(WebhookSignature.sign(secret: Self.secret, timestamp: Self.timestamp, body: Data(Self.body)) == Self.expected)
        // Empty body: `printf '%s.' 1735689600 | openssl dgst -sha256 -hmac whsec_test`
        #expect(WebhookSignature.sign(secret: Self.secret, timestamp: Self.timestamp, body: [UInt8]())
            == "4abffc7930e24544012f0573d8bccb305a38a723413e95fd88200eab2fdf4c84")
    }

    @Test func headers() {
        let headers = WebhookSignature.headers(secret: Self.secret, timestamp: Self.timestamp, body: Self.body)
        #expect(headers.map(\.name) == ["X-Vigil-Timestamp", "X-Vigil-Signature"])
        #expect(headers.map(\.value) == ["1735689600", "v1=" + Self.expected])
    }

    @Test(arguments: [
        ("1735689600", "v1=" + expected, 0.0, WebhookSignature.Verification.valid),
        ("1735689600", "v1=" + expected.uppercased(), 0, .valid),
        ("1735689600", "v1=" + expected, 300, .valid),
        ("1735689600", "v1=" + expected, -300, .valid),                // receiver clock behind
        ("1735689600", "v1=" + expected, 301, .timestampOutsideTolerance),
        ("1735689600", "v1=" + expected, -301, .timestampOutsideTolerance),
        ("1735689601", "v1=" + expected, 0, .mismatch),                 // timestamp is signed
        ("1735689600", "v1=" + String(repeating: "0", count: 64), 0, .mismatch),
        ("1735689600", "v0=abc, v1=" + String(repeating: "0", count: 64) + ", v1=" + expected, 0, .valid),   // rotation
        ("1735689600", expected, 0, .malformedSignature),
        ("1735689600", "v1=" + expected.dropLast(), 0, .malformedSignature),
        ("1735689600", "v1=" + expected.dropLast() + "g", 0, .malformedSignature),
        ("1735689600", "v2=" + expected, 0, .malformedSignature),
        ("", "v1=" + expected, 0, .malformedTimestamp),
        ("+1735689600", "v1=" + expected, 0, .malformedTimestamp),
        ("1735689600.0", "v1=" + expected, 0, .malformedTimestamp),
        (" 1735689600", "v1=" + expected, 0, .malformedTimestamp),
    ])
    func verification(timestamp: String, signature: String, skew: TimeInterval, expected: WebhookSignature.Verification) {
        #expect(WebhookSignature.verify(secret: Self.secret, timestampHeader: timestamp, signatureHeader: signature,
                                        body: Self.body, now: Self.now + skew) == expected)
    }

    @Test func tamperingAndWrongSecretsFail() {
        let header = "v1=" + Self.expected
        #expect(WebhookSignature.verify(secret: Self.secret, timestampHeader: "1735689600", signatureHeader: header,
                                        body: Array(#"{"alert":"y"}"#.utf8), now: Self.now) == .mismatch)
        #expect(WebhookSignature.verify(secret: "whsec_other", timestampHeader: "1735689600", signatureHeader: header,
                                        body: Self.body, now: Self.now) == .mismatch)
        #expect(WebhookSignature.verify(secret: Self.secret, timestampHeader: nil, signatureHeader: header,
                                        body: Self.body, now: Self.now) == .malformedTimestamp)
        #expect(WebhookSignature.verify(secret: Self.secret, timestampHeader: "1735689600", signatureHeader: nil,
                                        body: Self.body, now: Self.now) == .malformedSignature)
    }

    @Test func customTolerance() {
        #expect(WebhookSignature.verify(secret: Self.secret, timestampHeader: "1735689600", signatureHeader: "v1=" + Self.expected,
                                        body: Self.body, now: Self.now + 61, tolerance: 60) == .timestampOutsideTolerance)
    }
}
