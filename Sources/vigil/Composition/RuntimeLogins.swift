import Logging
import PostgresClient
import VigilCore
import VigilRepositories

/// The runtime logins (`vigil db create-login`, and the one `vigil dev` serves as), made through
/// the composition root: the commands never touch the repositories or libpq themselves.
enum RuntimeLogins {
    /// Creates or updates the login with the migrator's conninfo, storing the settings'
    /// statement and idle-in-transaction timeouts on it; true when it was created.
    static func create(named name: String, for purpose: LoginPurpose, password: String?, settings: Settings,
                       logger: Logger) async throws -> Bool {
        let timeouts = LoginProvisioning.Timeouts(statementMs: settings.statementTimeoutMs,
                                                  idleInTransactionMs: settings.idleInTransactionTimeoutMs)
        return try await LoginProvisioning.createLogin(named: name, for: purpose, password: password, timeouts: timeouts,
                                                       conninfo: settings.databaseURL, logger: logger) == .created
    }

    /// The group role the login is given (`vigil_app` or `vigil_worker`).
    static func groupRole(for purpose: LoginPurpose) -> String {
        Database.groupRole(for: purpose)
    }

    /// `conninfo` with its user replaced by `login`.
    static func conninfo(_ conninfo: String, as login: String) throws -> String {
        try PostgresConninfo.setting(["user": login], in: conninfo)
    }
}
