/// What an API key may do. `admin` ⊇ `member` ⊇ `viewer`; `ingest` may only write telemetry,
/// so a leaked ingest key on a build server cannot read or administer anything; `edge` may only
/// read the blocklist, so the key on every proxy that polls it reads nothing else.
public enum ApiKeyRole: String, Sendable, CaseIterable, Codable {
    case admin, member, viewer, ingest, edge

    /// Whether a key with this role may perform an operation that requires `required`.
    public func permits(_ required: ApiKeyRole) -> Bool {
        switch (self, required) {
        case (.edge, .edge): return true
        case (.edge, _): return false
        // What an edge key may read, any reading key may read.
        case (_, .edge): return self != .ingest
        case (.ingest, .ingest): return true
        case (.ingest, _), (_, .ingest): return self == .admin || self == .member
        default: return self.rank >= required.rank
        }
    }

    private var rank: Int {
        switch self {
        case .viewer: return 1
        case .member: return 2
        case .admin: return 3
        case .ingest, .edge: return 0
        }
    }
}
