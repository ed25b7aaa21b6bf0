import Foundation

/// A failure of an external PostgreSQL command (initdb, pg_ctl) or of preparing for it.
public struct EmbeddedPostgresError: Error, Sendable, CustomStringConvertible {
    /// The command line that failed, or a short description of the failed step.
    public var command: String
    public var exitCode: Int32?
    /// The command's stderr (and, for pg_ctl start, the tail of the server log).
    public var output: String

    public init(command: String, exitCode: Int32? = nil, output: String) {
        self.command = command
        self.exitCode = exitCode
        self.output = output
    }

    public var description: String {
        var text = "`\(command)` failed"
        if let exitCode { text += " with exit code \(exitCode)" }
        let trimmed = output.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { text += ": \(trimmed)" }
        return text
    }
}
