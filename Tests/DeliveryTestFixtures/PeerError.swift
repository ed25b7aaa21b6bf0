/// Why a test peer could not be started or queried. Messages include the tail of the
/// peer's log so a CI failure is diagnosable without re-running.
public enum PeerError: Error, CustomStringConvertible {
    case exited(peer: String, status: Int32, log: String)
    case timedOut(peer: String, waitingFor: String, log: String)
    case badResponse(peer: String, detail: String)
    case notStarted(peer: String)

    public var description: String {
        switch self {
        case let .exited(peer, status, log):
            return "\(peer) exited with status \(status). Log tail:\n\(log)"
        case let .timedOut(peer, waitingFor, log):
            return "\(peer): timed out waiting for \(waitingFor). Log tail:\n\(log)"
        case let .badResponse(peer, detail):
            return "\(peer): \(detail)"
        case let .notStarted(peer):
            return "\(peer) is not started"
        }
    }
}
