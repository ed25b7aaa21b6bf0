import Foundation
import Testing
@testable import VigilCore

/// Limits openapi.yaml states for alerting configuration, enforced by the core (the generated
/// server does not check maxLength or maxItems itself). scripts/spec-constraints.py proves the
/// same through a live server for every operation with an example.
struct SpecLengthLimitTests {
    static let matcher = try! LabelMatcher(name: "env", op: .equal, value: "prod")

    @Test(arguments: [(2000, true), (2001, false)])
    func silenceCommentLength(length: Int, accepted: Bool) {
        let make = { () throws(ValidationFailure) in
            _ = try Silence(matchers: [Self.matcher], startsAt: Date(), endsAt: Date().addingTimeInterval(60), createdBy: "k",
                            comment: String(repeating: "é", count: length))
        }
        if accepted { #expect(throws: Never.self) { try make() } } else {
            #expect((#expect(throws: ValidationFailure.self) { try make() })?.field == "comment")
        }
    }

    @Test(arguments: [
        (64, 64, 20, 100, nil),
        (65, 1, 0, 1, "source_matchers"),
        (1, 65, 0, 1, "target_matchers"),
        (1, 1, 21, 1, "equal"),
        (1, 1, 1, 101, "equal"),
    ] as [(Int, Int, Int, Int, String?)])
    func inhibitRuleSizes(sources: Int, targets: Int, equal: Int, nameLength: Int, refusedField: String?) {
        let names = (0..<equal).map { "l\($0)" + String(repeating: "x", count: max(0, nameLength - 2 - String($0).count + 1)) }
        let make = { () throws(ValidationFailure) in
            _ = try InhibitRule(sourceMatchers: Array(repeating: Self.matcher, count: sources),
                                targetMatchers: Array(repeating: Self.matcher, count: targets), equal: equal == 0 ? [] : names)
        }
        if let refusedField {
            #expect((#expect(throws: ValidationFailure.self) { try make() })?.field == refusedField)
        } else {
            #expect(throws: Never.self) { try make() }
        }
    }

    @Test(arguments: [
        (ChannelSecrets(signingSecret: String(repeating: "s", count: 512)), nil),
        (ChannelSecrets(signingSecret: String(repeating: "s", count: 513)), "secrets.signing_secret"),
        (ChannelSecrets(signingSecret: String(repeating: "s", count: 16), webhookURL: String(repeating: "u", count: 2001)), "secrets.webhook_url"),
        (ChannelSecrets(signingSecret: String(repeating: "s", count: 16), routingKey: String(repeating: "r", count: 201)), "secrets.routing_key"),
        (ChannelSecrets(signingSecret: String(repeating: "s", count: 16), smtpPassword: String(repeating: "p", count: 513)), "secrets.smtp_password"),
    ] as [(ChannelSecrets, String?)])
    func channelSecretLengths(secrets: ChannelSecrets, refusedField: String?) {
        #expect(NotificationChannelSpec.checkSecretLengths(secrets)?.field == refusedField)
    }

    @Test func allowListedTagKeysAreCountedAsSent() throws {
        let hundredAndOne = #"{"allowed_tag_keys":[\#(Array(repeating: "\"host\"", count: 101).joined(separator: ","))]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RedactionPolicy.self, from: Data(hundredAndOne.utf8)) }
        let hundred = #"{"allowed_tag_keys":[\#(Array(repeating: "\"host\"", count: 100).joined(separator: ","))]}"#
        #expect(try JSONDecoder().decode(RedactionPolicy.self, from: Data(hundred.utf8)).allowedTagKeys == ["host"])
    }
}
