import Testing
import VigilCore

struct ApiKeyRoleTests {
    // (key role, required role, permitted)
    static let table: [(ApiKeyRole, ApiKeyRole, Bool)] = [
        (.admin, .admin, true), (.admin, .member, true), (.admin, .viewer, true), (.admin, .ingest, true),
        (.member, .admin, false), (.member, .member, true), (.member, .viewer, true), (.member, .ingest, true),
        (.viewer, .admin, false), (.viewer, .member, false), (.viewer, .viewer, true), (.viewer, .ingest, false),
        (.ingest, .admin, false), (.ingest, .member, false), (.ingest, .viewer, false), (.ingest, .ingest, true),
    ]

    @Test(arguments: table)
    func permits(role: ApiKeyRole, required: ApiKeyRole, expected: Bool) {
        #expect(role.permits(required) == expected)
    }
}
