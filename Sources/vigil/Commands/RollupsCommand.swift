import ArgumentParser
import VigilServices

/// `vigil rollups compact`: merges the partial rollup rows now, as the worker's
/// `rollups.compact` job does every minute (for operators after a bulk backfill, and for
/// benchmarks that query right after loading).
struct RollupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rollups", abstract: "Maintain metric rollups.",
                                                    subcommands: [Compact.self])

    struct Compact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Merge partial rollup rows now; prints how many rows were merged away.")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let (settings, logger) = try common.settings()
            let runtime = try Runtime(settings: settings, logger: logger)
            let progress = ProgressLine("vigil rollups compact")
            let merged = try await runtime.services.rollupCompaction.compactAll(progress: progress.report)
            await runtime.shutdown()
            try printJSON(["rows_merged": merged])
        }
    }
}
