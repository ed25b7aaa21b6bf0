/// Every error thrown by PostgresClient.
///
/// `kind` says which layer failed, so callers can react without parsing messages:
/// `.server` errors carry the SQLSTATE and the server's diagnostic fields (map them to HTTP
/// statuses, retry 40001/40P01, ...); `.connection` means the connection is unusable and has
/// been (or will be) discarded.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The server rejected a statement; the connection is still usable.
        case server
        /// Connecting failed, or the connection broke while in use.
        case connection
        /// The connection (or listener) was closed by this process before or during the call.
        case connectionClosed
        /// No pooled connection became free within `acquireTimeout`.
        case acquireTimeout
        /// The pool was shut down.
        case poolClosed
        /// A result value could not be decoded (NULL, missing column, unparsable text).
        case decoding
        /// COPY protocol failure on the client side (server-side COPY errors are `.server`).
        case copy
    }

    public var kind: Kind
    public var sqlState: String?
    public var message: String
    public var detail: String?
    public var hint: String?
    public var constraint: String?

    public init(
        kind: Kind,
        sqlState: String? = nil,
        message: String,
        detail: String? = nil,
        hint: String? = nil,
        constraint: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
    }

    public var description: String {
        var text = "PostgresError.\(kind)"
        if let sqlState { text += " [\(sqlState)]" }
        text += ": \(message)"
        if let detail { text += " DETAIL: \(detail)" }
        if let hint { text += " HINT: \(hint)" }
        if let constraint { text += " CONSTRAINT: \(constraint)" }
        return text
    }
}

extension PostgresError {
    static func decoding(_ message: String) -> PostgresError {
        PostgresError(kind: .decoding, message: message)
    }

    static let closed = PostgresError(kind: .connectionClosed, message: "connection is closed")
}
