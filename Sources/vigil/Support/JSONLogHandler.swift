import Foundation
import Logging
import VigilCore

/// One JSON object per line on stderr: timestamp, level, message, label, then metadata
/// (correlation_id and workspace_id come from the task-local LogContext on every line).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object: [String: Any] = [
            "timestamp": Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)),
            "level": event.level.rawValue,
            "message": "\(event.message)",
            "logger": label,
        ]
        let merged = metadata.merging(metadataProvider?.get() ?? [:]) { $1 }.merging(event.metadata ?? [:]) { $1 }
        for (key, value) in merged { object[key] = Self.plain(value) }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(0x0A)
        FileHandle.standardError.write(line)
    }

    static func plain(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let s): return s
        case .stringConvertible(let s): return s.description
        case .array(let a): return a.map(plain)
        case .dictionary(let d): return d.mapValues(plain)
        }
    }
}

enum LogFormat: String {
    case json, text
}

enum LogSetup {
    /// Correlation and workspace ids from the current task, on every line of every logger.
    static let contextProvider = Logger.MetadataProvider {
        var metadata: Logger.Metadata = [:]
        if let id = LogContext.correlationID { metadata["correlation_id"] = .string(id) }
        if let id = LogContext.workspaceID { metadata["workspace_id"] = .string(id) }
        return metadata
    }

    static func bootstrap(format: LogFormat, level: Logger.Level) {
        LoggingSystem.bootstrap({ label, provider in
            switch format {
            case .json:
                return JSONLogHandler(label: label, logLevel: level, metadataProvider: provider)
            case .text:
                var handler = StreamLogHandler.standardError(label: label, metadataProvider: provider)
                handler.logLevel = level
                return handler
            }
        }, metadataProvider: contextProvider)
    }
}
