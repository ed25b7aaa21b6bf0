/// Shared by the driver (which measures it) and the services (which report it), hence a primitive.
/// How the database connection pool is being used right now, for health and `/metrics`.
public struct PoolUsage: Sendable, Equatable {
    /// Connections currently lent out.
    public var inUse: Int
    /// Open connections waiting in the pool.
    public var idle: Int
    /// Callers waiting for a connection.
    public var waiting: Int
    /// Open plus currently opening connections.
    public var total: Int

    public init(inUse: Int, idle: Int, waiting: Int, total: Int) {
        self.inUse = inUse
        self.idle = idle
        self.waiting = waiting
        self.total = total
    }
}
