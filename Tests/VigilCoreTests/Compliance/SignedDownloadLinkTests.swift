import Foundation
import Testing
@testable import VigilCore

struct SignedDownloadLinkTests {
    static let key = Array("0123456789abcdef0123456789abcdef".utf8)
    static let workspace = UUID(uuidString: "11111111-2222-3333-4444-555555555555")!
    static let report = UUID(uuidString: "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE")!
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let expiresAt = now.addingTimeInterval(900)

    static func token() -> String {
        try! SignedDownloadLink.make(workspaceID: workspace, reportID: report, expiresAt: expiresAt, key: key)
    }

    /// Flips one byte of the decoded token, re-encoded without re-signing.
    static func altered(at offset: Int) -> String {
        var bytes = Array(Base64URL.decode(token())!)
        bytes[offset] ^= 0x01
        return Base64URL.encode(Data(bytes))
    }

    // (case, token, key, verification time, valid)
    static let cases: [(String, @Sendable () -> String, [UInt8], Date, Bool)] = [
        ("valid", { token() }, key, now, true),
        ("valid just before expiry", { token() }, key, expiresAt.addingTimeInterval(-1), true),
        ("expired at the instant", { token() }, key, expiresAt, false),
        ("expired later", { token() }, key, expiresAt.addingTimeInterval(3600), false),
        ("wrong key", { token() }, Array("fedcba9876543210fedcba9876543210".utf8), now, false),
        ("key too short", { token() }, Array("short".utf8), now, false),
        ("truncated by one", { String(token().dropLast()) }, key, now, false),
        ("truncated by half", { String(token().prefix(49)) }, key, now, false),
        ("extended", { token() + "AA" }, key, now, false),
        ("altered report id", { altered(at: 20) }, key, now, false),
        ("altered workspace id", { altered(at: 1) }, key, now, false),
        ("altered expiry", { altered(at: 40) }, key, now, false),
        ("altered version", { altered(at: 0) }, key, now, false),
        ("altered mac", { altered(at: 60) }, key, now, false),
        ("standard base64 characters", { token().replacingOccurrences(of: "-", with: "+") + "+" }, key, now, false),
        ("empty", { "" }, key, now, false),
        ("garbage", { "not-a-token" }, key, now, false),
    ]

    @Test(arguments: cases.indices)
    func verification(index: Int) {
        let (_, token, key, at, valid) = Self.cases[index]
        let claims = SignedDownloadLink.verify(token: token(), key: key, now: at)
        if valid {
            #expect(claims == SignedDownloadLink.Claims(workspaceID: Self.workspace, reportID: Self.report, expiresAt: Self.expiresAt))
        } else {
            #expect(claims == nil)
        }
    }

    @Test func tokensAreURLSafeAndDeterministic() {
        let token = Self.token()
        #expect(token.count == 98)
        #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        #expect(token == Self.token())
        let other = try? SignedDownloadLink.make(workspaceID: Self.workspace, reportID: UUID(), expiresAt: Self.expiresAt, key: Self.key)
        #expect(other != token)
    }

    @Test func shortKeysAreRefused() {
        #expect(throws: SignedDownloadLink.KeyError.keyTooShort) {
            try SignedDownloadLink.make(workspaceID: Self.workspace, reportID: Self.report, expiresAt: Self.expiresAt, key: [1, 2, 3])
        }
    }

    // (requested seconds, granted seconds)
    static let lifetimes: [(TimeInterval?, TimeInterval)] = [(nil, 900), (60, 60), (0, 1), (-5, 1), (1e9, 86_400)]

    @Test(arguments: lifetimes.indices)
    func lifetimeIsCapped(index: Int) {
        let (requested, granted) = Self.lifetimes[index]
        #expect(SignedDownloadLink.expiry(now: Self.now, requested: requested) == Self.now.addingTimeInterval(granted))
    }
}
