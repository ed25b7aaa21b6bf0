import ArgumentParser
import Foundation

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending migrations (as the table owner), or list them with --status.")

    @OptionGroup var common: CommonOptions

    @Flag(help: "List migrations and whether each is applied, pending or modified; change nothing.")
    var status = false

    func run() async throws {
        let (settings, logger) = try common.settings()
        if status {
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
