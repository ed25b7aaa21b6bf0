import Testing
import VigilCore

struct RuntimeLoginTests {
    @Test(arguments: ["vigil_api", "vigil_worker_2", "_svc", "a", String(repeating: "a", count: 63)])
    func acceptedNames(_ name: String) {
        #expect(LoginName.problem(with: name) == nil)
    }

    @Test(arguments: ["", "Vigil", "1api", "vigil-api", "vigil api", "vigil;drop", "x\"y", String(repeating: "a", count: 64),
                      "vigil_owner", "vigil_app", "vigil_worker", "postgres", "pg_monitor", "public"])
    func refusedNames(_ name: String) {
        #expect(LoginName.problem(with: name) != nil)
    }

    @Test(arguments: [
        (LoginPrivileges(superuser: false, bypassesRLS: false, ownerMember: false), [String](), "ok"),
        (LoginPrivileges(superuser: true, bypassesRLS: false, ownerMember: false), ["superuser"], "superuser"),
        (LoginPrivileges(superuser: false, bypassesRLS: true, ownerMember: false), ["bypassrls"], "bypassrls"),
        (LoginPrivileges(superuser: false, bypassesRLS: false, ownerMember: true), ["owner_member"], "owner_member"),
        (LoginPrivileges(superuser: true, bypassesRLS: true, ownerMember: true), ["superuser", "bypassrls", "owner_member"],
         "superuser,bypassrls,owner_member"),
    ])
    func assessment(_ privileges: LoginPrivileges, _ problems: [String], _ word: String) {
        #expect(privileges.problems == problems)
        #expect(privileges.readinessWord == word)
    }

    @Test func purposesParse() {
        #expect(LoginPurpose(rawValue: "api") == .api)
        #expect(LoginPurpose(rawValue: "worker") == .worker)
        #expect(LoginPurpose(rawValue: "owner") == nil)
    }
}
