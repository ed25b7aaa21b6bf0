import ArgumentParser
import Foundation

/// `vigil version`: what an operator pastes into a bug report, and what `vigil_build_info`
/// reports on `/metrics`. (`vigil --version` prints the bare version.)
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the build: version, platform and schema.")

    func run() throws {
        let info = ProcessInfo.processInfo
        #if arch(x86_64)
        let arch = "x86_64"
        #elseif arch(arm64)
        let arch = "arm64"
        #else
        let arch = "unknown"
        #endif
        try printJSON([
            "version": Runtime.version,
            "platform": "\(info.operatingSystemVersionString) \(arch)",
            "schema": try SchemaMigrations.latest(),
        ])
    }
}
