import ArgumentParser
import Foundation
import VigilServices

/// Operator commands for secrets at rest (`VIGIL_SECRETS_KEY`).
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "secrets", abstract: "Manage secrets sealed at rest.",
                                                    subcommands: [Reseal.self])

    struct Reseal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt every channel's secrets under the first key of VIGIL_SECRETS_KEY (and seal legacy plaintext rows).")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let (settings, logger) = try common.settings()
            let runtime = try Runtime(settings: settings, logger: logger)
            do {
                let progress = ProgressLine("vigil secrets reseal")
                let summary = try await runtime.services.channelSecretResealer.resealAll(progress: progress.report)
                await runtime.shutdown()
                try printJSON(["workspaces": summary.workspaces, "channels": summary.channels, "resealed": summary.resealed])
            } catch {
                await runtime.shutdown()
                throw error
            }
        }
    }
}
