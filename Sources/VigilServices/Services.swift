import Foundation
import Logging
import VigilRepositories

/// Every use case, wired to one database; what the API and the CLI are given.
public struct Services: Sendable {
    public let database: Database
    public let auth: AuthService
    public let workspaces: WorkspaceService
    public let apiKeys: ApiKeyService
    public let audit: AuditService
    public let health: HealthService
    public let jobs: JobAdministration

    public init(database: Database, adminToken: String?, migrations: [MigrationFile], clock: WallClock = WallClock(), logger: Logger) {
        self.database = database
        self.auth = AuthService(database: database, adminToken: adminToken, clock: clock, logger: logger)
        self.workspaces = WorkspaceService(database: database, clock: clock)
        self.apiKeys = ApiKeyService(database: database, clock: clock)
        self.audit = AuditService(database: database)
        self.health = HealthService(database: database, migrations: migrations)
        self.jobs = JobAdministration(database: database, clock: clock)
    }
}
