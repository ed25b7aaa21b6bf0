import ArgumentParser
import Foundation
import VigilCore

/// `vigil db create-login NAME --for api|worker`: the runtime logins, made with the migrator's
/// DATABASE_URL (docs/operations.md, "Database logins").
struct DbCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "db", abstract: "Database administration.",
                                                    subcommands: [CreateLogin.self])

    struct CreateLogin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-login",
            abstract: "Create (or update) the API's or the worker's login; run with the migrator's DATABASE_URL.",
            discussion: "The login is NOSUPERUSER NOBYPASSRLS and never a member of vigil_owner: it gets vigil_app (api) "
                + "or vigil_worker (worker: vigil_app plus the cross-tenant operator functions). The password is read "
                + "from the environment variable named by --password-env, never from the command line; without it the "
                + "login has no password (local trust or peer authentication only).")

        @OptionGroup var common: CommonOptions
        @Argument(help: "The login's name (lower-case letters, digits, underscores).") var name: String
        @Option(name: .customLong("for"), help: "api|worker") var purpose: String
        @Option(name: .customLong("password-env"), help: "Environment variable holding the password.") var passwordEnv: String?

        func validate() throws {
            guard LoginPurpose(rawValue: purpose) != nil else { throw ValidationError("--for is api or worker") }
            if let problem = LoginName.problem(with: name) { throw ValidationError(problem) }
        }

        func run() async throws {
            let purpose = LoginPurpose(rawValue: purpose)!  // checked by validate()
            var password: String?
            if let passwordEnv {
                guard let value = ProcessInfo.processInfo.environment[passwordEnv], !value.isEmpty else {
                    throw ValidationError("the environment variable \(passwordEnv) is not set or empty")
                }
                password = value
            }
            let (settings, logger) = try common.settings()
            let created = try await RuntimeLogins.create(named: name, for: purpose, password: password, settings: settings, logger: logger)
            let role = RuntimeLogins.groupRole(for: purpose)
            print("\(created ? "created" : "updated") login \(name) (\(role)\(password == nil ? ", no password" : ""))")
        }
    }
}
