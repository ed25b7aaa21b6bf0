import Foundation
import Testing
import VigilCore

struct ApiKeyTokenTests {
    @Test func generatedKeyRoundTripsThroughParsing() throws {
        let workspace = UUID()
        let token = ApiKeyToken.generate(workspaceID: workspace)
        let parsed = try #require(ApiKeyToken(parsing: token.stringValue))
        #expect(parsed == token)
        #expect(parsed.workspaceID == workspace)
        #expect(parsed.hash == token.hash)
        #expect(token.hash.count == 32)
        #expect(token.secret.count == 43)
    }

    @Test func twoKeysDiffer() {
        let workspace = UUID()
        #expect(ApiKeyToken.generate(workspaceID: workspace) != ApiKeyToken.generate(workspaceID: workspace))
    }

    @Test(arguments: [
        "", "vgl", "vgl__", "abc_0123456789abcdef0123456789abcdef_secret", "vgl_0123456789abcdef0123456789abcde_secret",
        "vgl_0123456789abcdef0123456789abcdeg_secret", "vgl_0123456789abcdef0123456789abcdef_", "vgl_0123456789abcdef0123456789abcdef_sec ret",
        "vgl_0123456789abcdef0123456789abcdef_sec'ret", "Bearer vgl_0123456789abcdef0123456789abcdef_secret",
        "vgl_0123456789abcdef0123456789abcdef_" + String(repeating: "a", count: 129),
    ])
    func rejectsMalformed(_ raw: String) {
        #expect(ApiKeyToken(parsing: raw) == nil)
    }

    @Test func prefixRevealsOnlyEightSecretCharacters() {
        let token = ApiKeyToken(workspaceID: UUID(), secret: "abcdefghijklmnopqrstuvwxyz")
        #expect(token.prefix == "vgl_…abcdefgh")
    }
}

struct ConstantTimeTests {
    @Test(arguments: [("secret", "secret", true), ("secret", "secreT", false), ("secret", "secret2", false),
                      ("", "", true), ("", "x", false), ("abc", "", false)])
    func equals(a: String, b: String, expected: Bool) {
        #expect(ConstantTime.equals(a, b) == expected)
    }
}

struct KeyCheckTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static func key(revoked: Date? = nil, expires: Date? = nil) -> ApiKey {
        ApiKey(workspaceID: UUID(), id: UUID(), name: "k", prefix: "p", role: .viewer, createdBy: "t",
               createdAt: now.addingTimeInterval(-100), expiresAt: expires, revokedAt: revoked)
    }

    @Test func outcomes() {
        #expect(KeyCheck.evaluate(nil, at: Self.now) == .unknown)
        #expect(KeyCheck.evaluate(Self.key(), at: Self.now) == .accepted)
        #expect(KeyCheck.evaluate(Self.key(revoked: Self.now.addingTimeInterval(-1)), at: Self.now) == .revoked)
        #expect(KeyCheck.evaluate(Self.key(revoked: Self.now), at: Self.now) == .revoked)
        #expect(KeyCheck.evaluate(Self.key(expires: Self.now.addingTimeInterval(-1)), at: Self.now) == .expired)
        #expect(KeyCheck.evaluate(Self.key(expires: Self.now.addingTimeInterval(60)), at: Self.now) == .accepted)
    }
}
