import Foundation

/// Runs `promtool check metrics` (Prometheus' own linter) on exposition text. CI installs the
/// prometheus package, so a missing promtool fails the calling test instead of skipping it.
public enum Promtool {
    /// promtool's exit status and everything it printed. 0: clean; 3: lint remarks only
    /// (naming style); 1: the text does not parse.
    public static func checkMetrics(_ text: String) throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString).prom")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let promtool = Process()
        promtool.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        promtool.arguments = ["promtool", "check", "metrics"]
        promtool.standardInput = try FileHandle(forReadingFrom: file)
        let output = Pipe()
        promtool.standardOutput = output
        promtool.standardError = output
        try promtool.run()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        promtool.waitUntilExit()
        return (promtool.terminationStatus, said)
    }
}
