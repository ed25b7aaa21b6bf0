/// A database failure, told in terms the layers above the repositories can act on without
/// knowing SQLSTATE codes or the driver: the repositories translate every driver error into
/// this, services catch `.conflict`, and the API maps each kind to one HTTP status.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A unique or exclusion constraint refused the write (SQLSTATE 23505, 23P01).
        case conflict
        /// A value the database cannot hold, such as NUL in text or a date out of range
        /// (SQLSTATE class 22): the input is at fault.
        case rejectedValue
        /// A row-level security policy or a check refused the write (42501, class 23 but 23505).
        case refused
        /// The database is down, the pool is exhausted, or the connection broke.
        case unavailable
        /// The statement timed out or lost a serialization race (57014, 40001, 40P01): retry.
        case busy
        /// The key a cached authentication relied on was revoked meanwhile (SQLSTATE VG401,
        /// raised by `vigil_enter_workspace`): the request is unauthenticated.
        case credentialRevoked
        /// Anything else: a bug in Vigil's SQL or schema.
        case failure
    }

    public var kind: Kind
    /// The SQLSTATE, when the server sent one (kept for logs and tests, never shown to clients).
    public var sqlState: String?
    /// The constraint named by the server, for conflicts.
    public var constraint: String?
    /// The driver's message, for logs only.
    public var message: String

    public init(kind: Kind, sqlState: String? = nil, constraint: String? = nil, message: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.constraint = constraint
        self.message = message
    }

    public var description: String {
        "StorageError.\(kind)(\(sqlState ?? "-")): \(message)"
    }
}
