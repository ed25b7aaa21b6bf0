import PostgresClient
import VigilCore

extension StorageError {
    /// The one place a driver error becomes a domain error.
    init(_ error: PostgresError) {
        let state = error.sqlState
        let kind: Kind
        switch error.kind {
        case .acquireTimeout, .connection, .connectionClosed, .poolClosed:
            kind = .unavailable
        case .server where state == "VG401":
            kind = .credentialRevoked
        case .server where state == "23505" || state == "23P01":
            kind = .conflict
        case .server where state == "57014" || state == "40001" || state == "40P01":
            kind = .busy
        case .server where state?.hasPrefix("22") == true:
            kind = .rejectedValue
        case .server where state == "42501" || state?.hasPrefix("23") == true:
            kind = .refused
        default:
            kind = .failure
        }
        self.init(kind: kind, sqlState: state, constraint: error.constraint, message: error.message)
    }

    /// Runs `body`, translating a driver error into a `StorageError`.
    static func translating<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError {
            throw StorageError(error)
        }
    }
}
