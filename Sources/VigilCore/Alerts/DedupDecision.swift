import Foundation

/// What to do with an incoming alert whose fingerprint may already be known. The service
/// passes the newest alert with that fingerprint (older resolved ones never matter).
public enum DedupDecision: Sendable, Equatable {
    /// No open alert and no recently resolved one: insert a new alert.
    case createNew
    /// The alert is still open: bump `occurrence_count` and `last_seen_at`.
    case incrementOccurrence
    /// Resolved within the window: reopen it (`AlertTransition.occurrence`) rather than
    /// opening a second alert for a flapping problem.
    case reopenResolved

    /// The default dedup window: 5 minutes.
    public static let defaultWindow: TimeInterval = 300

    /// The newest existing alert with the fingerprint, as far as dedup cares.
    public struct Existing: Sendable, Equatable {
        public var state: AlertState
        /// When it was resolved; set whenever `state` is `.resolved`.
        public var resolvedAt: Date?

        public init(state: AlertState, resolvedAt: Date?) {
            self.state = state
            self.resolvedAt = resolvedAt
        }
    }

    /// "More than the window has passed" opens a new alert, so exactly `window` seconds after
    /// the resolve still reopens. A resolve stamped in the future (clock skew between
    /// replicas) counts as within the window. A resolved alert without `resolvedAt` (should not
    /// exist) gets a new alert: reopening something we cannot date is the riskier guess.
    public static func decide(existing: Existing?, now: Date, window: TimeInterval = defaultWindow) -> DedupDecision {
        guard let existing else { return .createNew }
        if existing.state.isOpen { return .incrementOccurrence }
        guard let resolvedAt = existing.resolvedAt else { return .createNew }
        return now.timeIntervalSince(resolvedAt) > window ? .createNew : .reopenResolved
    }
}
