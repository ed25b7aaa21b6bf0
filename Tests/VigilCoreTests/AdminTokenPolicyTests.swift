import Testing
import VigilCore

struct AdminTokenPolicyTests {
    @Test(arguments: ["changeme", "admin", "secret", "example", "smoke-admin-token", "test-admin-token-0123456789",
                      "change-me-to-a-long-random-string",            // deploy/vigil.env.example
                      "CHANGEME-CHANGEME-CHANGEME-CHANGEME-1234",
                      "this-is-my-super-secret-admin-token-2026",
                      String(repeating: "a", count: 64), String(repeating: "ab", count: 20)])
    func refused(_ token: String) {
        let problem = AdminTokenPolicy.problem(with: token)
        #expect(problem != nil)
        #expect(problem?.contains(token) == false)
    }

    @Test(arguments: ["3f9c2a7d1e8b4c6f0a5d9e2b7c1f4a8d", "vgla_5f1b9c0d2e7a4b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e",
                      "q8Zt3LmW9xKc2VbN7rHs4DfG6jPa1YeU"])
    func accepted(_ token: String) {
        #expect(AdminTokenPolicy.problem(with: token) == nil)
    }
}
