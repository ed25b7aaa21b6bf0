import ArgumentParser
import Foundation
import PostgresClient
import VigilRepositories

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending migrations (as the table owner), or list them with --status.")

    @OptionGroup var common: CommonOptions

    @Flag(help: "List migrations and whether each is applied, pending or modified; change nothing.")
    var status = false

    func run() async throws {
        let (settings, logger) = try common.settings()
        if status {
            let connection = try await PostgresConnection.connect(conninfo: settings.databaseURL, logger: logger)
            let rows = try await Migrator(files: try MigrationFile.bundled(), logger: logger).status(on: connection)
            await connection.close()
            for row in rows {
                let when = row.appliedAt.map { $0.formatted(.iso8601) } ?? "-"
                print("\(row.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(row.name)  \(when)")
            }
            if rows.contains(where: { $0.state == .modified }) { throw ExitCode(1) }
        } else {
            let applied = try await Runtime.migrate(settings: settings, logger: logger)
            print(applied.isEmpty ? "database is up to date" : "applied: \(applied.joined(separator: ", "))")
        }
    }
}
