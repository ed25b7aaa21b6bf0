import Foundation

/// The arguments of one job kind, River-style: the type names its kind and how its jobs run by
/// default, so enqueueing takes a value and the worker decodes the same type. The stored kind
/// string and the JSON shape of the arguments are the contract with jobs already in the
/// database: never change them for an existing kind.
public protocol JobArgs: Codable, Sendable {
    /// Stored in `jobs.kind`; unique across the catalogue.
    static var kind: String { get }
    /// Priority, attempts, timeout and queue used unless an enqueue overrides them.
    static var defaultOptions: JobOptions { get }
}

extension JobArgs {
    public static var defaultOptions: JobOptions { JobOptions() }
}

/// How jobs of a kind run unless an enqueue says otherwise.
public struct JobOptions: Sendable, Equatable {
    /// Higher runs first among due jobs of a workspace.
    public var priority: Int16
    /// After this many failed attempts the job is discarded (dead letter).
    public var maxAttempts: Int
    /// An attempt running longer is cancelled and counts as failed.
    public var timeout: Duration
    /// The queue the job belongs to. Every job is in `default` for now; the name is here so
    /// kinds can be split onto their own workers later without touching call sites.
    public var queue: String
    /// Most jobs of this kind running at once across every worker (nil: no cap). Set on
    /// long-running kinds, so they cannot take every worker slot from short ones.
    public var maxRunning: Int?

    public static let defaultQueue = "default"

    public init(priority: Int16 = 0, maxAttempts: Int = 20, timeout: Duration = .seconds(60), queue: String = JobOptions.defaultQueue,
                maxRunning: Int? = nil) {
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.timeout = timeout
        self.queue = queue
        self.maxRunning = maxRunning
    }
}

/// The one JSON coding of job arguments, used both when enqueueing and when running, so the two
/// cannot drift apart. Plain encoders (no key sorting): the column is jsonb anyway.
public enum JobArgsCoding {
    public static func encode<Args: JobArgs>(_ args: Args) throws -> String {
        String(decoding: try JSONEncoder().encode(args), as: UTF8.self)
    }

    public static func decode<Args: JobArgs>(_ type: Args.Type, from argsJSON: String) throws -> Args {
        try JSONDecoder().decode(type, from: Data(argsJSON.utf8))
    }
}

extension NewJob {
    /// A job of `args`' kind with its default options; `priority` and `maxAttempts` override
    /// them for this one job.
    public init<Args: JobArgs>(
        _ args: Args, workspaceID: UUID, uniqueKey: String? = nil, runAt: Date? = nil, priority: Int16? = nil,
        maxAttempts: Int? = nil, correlationID: String? = LogContext.correlationID
    ) throws {
        let options = Args.defaultOptions
        self.init(workspaceID: workspaceID, kind: Args.kind, argsJSON: try JobArgsCoding.encode(args),
                  priority: priority ?? options.priority, runAt: runAt, maxAttempts: maxAttempts ?? options.maxAttempts,
                  uniqueKey: uniqueKey, correlationID: correlationID)
    }
}
