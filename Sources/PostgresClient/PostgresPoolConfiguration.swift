import VigilPrimitives

/// Settings for `PostgresPool`. Every connection gets the same connect/statement timeouts and
/// session setup.
public struct PostgresPoolConfiguration: Sendable {
    /// Passed to libpq as is (see `PostgresConnection.connect`); never logged.
    public var conninfo: String
    public var maxConnections: Int = 10
    /// How long `withConnection` waits for a free connection before throwing `.acquireTimeout`.
    public var acquireTimeout: Duration = .seconds(5)
    public var connectTimeout: Duration = .seconds(10)
    /// `SET statement_timeout` on every connection; nil leaves the server default.
    public var statementTimeout: Duration? = .seconds(30)
    /// `SET idle_in_transaction_session_timeout` on every connection: a transaction left open
    /// while its task waits on something else (a slow client, a bug) is ended by the server
    /// instead of holding locks and its snapshot; nil leaves the server default.
    public var idleInTransactionTimeout: Duration? = .seconds(60)
    /// Connections older than this are closed when released instead of being reused.
    public var maxConnectionLifetime: Duration? = .seconds(3600)
    /// SQL run once on every new connection, after the built-in session defaults.
    public var sessionSetup: [String] = []

    public init(conninfo: String) {
        self.conninfo = conninfo
    }
}

/// How the pool is being used right now (the type lives in VigilPrimitives so services can report it
/// without importing the driver).
public typealias PostgresPoolStatistics = PoolUsage
