import ArgumentParser
import Foundation
import VigilCore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending migrations (as the table owner), or list them with --status.",
        discussion: "--check changes nothing and exits 0 when this binary may run on the database (its migrations "
            + "applied, and any newer ones marked backward-compatible), 3 while some are pending, 4 when a newer "
            + "migration is not backward-compatible, 1 when an applied migration's file was modified.")

    @OptionGroup var common: CommonOptions

    @Flag(help: "List migrations and whether each is applied, pending or modified; change nothing.")
    var status = false

    @Flag(help: "Exit 0 when this binary may run on the database, 3 while migrations are pending, 4 when it is too old; change nothing.")
    var check = false

    /// `--check`'s exit statuses (distinct from errors, 1, and usage, 64): migrations pending,
    /// and a database a newer release migrated incompatibly (this binary must not run on it).
    static let pendingExitCode: Int32 = 3
    static let aheadExitCode: Int32 = 4

    func run() async throws {
        let (settings, logger) = try common.settings()
        if check {
            switch try await SchemaMigrations.verdict(databaseURL: settings.databaseURL, logger: logger) {
            case .current:
                print("database is up to date")
            case .aheadCompatible(let names):
                print("database is ahead of this binary (\(names.joined(separator: ", "))), all backward-compatible: this binary may run")
            case .pending(let names):
                print("pending: \(names.joined(separator: ", "))")
                throw ExitCode(Self.pendingExitCode)
            case .modified(let names):
                print("modified after being applied: \(names.joined(separator: ", "))")
                throw ExitCode(1)
            case .aheadIncompatible(let names):
                print("the database has newer migrations that are not backward-compatible: \(names.joined(separator: ", "))")
                throw ExitCode(Self.aheadExitCode)
            }
        } else if status {
            let rows = try await SchemaMigrations.status(databaseURL: settings.databaseURL, logger: logger)
            for row in rows {
                let when = row.appliedAt.map { $0.formatted(.iso8601) } ?? "-"
                print("\(row.state.padding(toLength: 9, withPad: " ", startingAt: 0)) \(row.name)  \(when)")
            }
            if rows.contains(where: \.isModified) { throw ExitCode(1) }
        } else {
            let applied = try await Runtime.migrate(settings: settings, logger: logger)
            print(applied.isEmpty ? "database is up to date" : "applied: \(applied.joined(separator: ", "))")
        }
    }
}
