import ArgumentParser

@main
struct Vigil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Vigil: self-hosted, multi-tenant monitoring backend.",
        version: Runtime.version,
        subcommands: [Serve.self, WorkerCommand.self, Migrate.self, DbCommand.self, WorkspaceCommand.self, KeyCommand.self, JobsCommand.self, RollupsCommand.self, Dev.self, BenchCommand.self, SecretsCommand.self, AuditCommand.self, VersionCommand.self]
    )
}
