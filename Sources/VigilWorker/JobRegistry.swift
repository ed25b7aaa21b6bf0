import VigilCore

/// The handlers a runner knows, by kind. Registering a second handler for a kind is refused:
/// silently keeping one of two would leave the other's jobs run by the wrong code.
public struct JobRegistry: Sendable {
    private var handlers: [String: JobHandler] = [:]

    public init() {}

    public init(_ handlers: [JobHandler]) throws {
        for handler in handlers { try register(handler) }
    }

    public mutating func register<Worker: JobWorker>(_ worker: Worker) throws {
        try register(JobHandler(worker))
    }

    public mutating func register(_ handler: JobHandler) throws {
        guard handlers[handler.kind] == nil else { throw DuplicateJobKind(kind: handler.kind) }
        handlers[handler.kind] = handler
    }

    /// The handler of `kind`, nil when no handler is registered (the runner discards such jobs).
    public subscript(kind: String) -> JobHandler? { handlers[kind] }

    public var kinds: Set<String> { Set(handlers.keys) }

    /// The kinds with a running cap, for the claim (`JobWorkerStore`).
    public var runningCaps: [String: Int] { handlers.compactMapValues(\.maxRunning) }
}

/// Two handlers were registered for one job kind.
public struct DuplicateJobKind: Error, Equatable, CustomStringConvertible {
    public let kind: String
    public var description: String { "job kind '\(kind)' is registered twice; each kind needs exactly one handler" }
}
