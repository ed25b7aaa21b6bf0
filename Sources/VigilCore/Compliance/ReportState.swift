/// Where a compliance report is in its life. Stored as text (`compliance_reports.state`).
///
/// ```
/// queued ──▶ running ──▶ completed
///   │  ▲        │ ↺ progress
///   │  └────────┤ (attempt failed, job will retry)
///   └──▶ failed ◀┘
/// ```
/// `completed` and `failed` are final: a failed report is re-requested, not revived, so its
/// error stays on record.
public enum ReportState: String, Sendable, Codable, CaseIterable {
    case queued, running, completed, failed

    public var isFinal: Bool { self == .completed || self == .failed }

    public func canTransition(to next: ReportState) -> Bool {
        switch (self, next) {
        case (.queued, .running), (.queued, .failed): true
        case (.running, .running), (.running, .completed), (.running, .failed), (.running, .queued): true
        default: false
        }
    }
}

/// A report's state with its progress and error, and the checked way to change it.
public struct ReportStatus: Sendable, Equatable {
    public enum Failure: Error, Equatable {
        case illegalTransition(from: ReportState, to: ReportState)
        case percentOutOfRange(Int)
        /// Progress may not go backwards within a run.
        case percentDecreased(from: Int, to: Int)
        /// `failed` needs an error message; other states must not carry one.
        case errorMismatch
    }

    public private(set) var state: ReportState
    /// 0...100; 100 exactly when completed.
    public private(set) var percent: Int
    /// Why it failed; only in `failed`.
    public private(set) var error: String?

    public static let queued = ReportStatus(state: .queued, percent: 0, error: nil)

    /// Longest stored error message; longer ones are cut (errors can quote SQL or paths).
    public static let maxErrorLength = 1_000

    private init(state: ReportState, percent: Int, error: String?) {
        self.state = state
        self.percent = percent
        self.error = error
    }

    /// Rebuilds a stored status, checking its invariants.
    public static func restore(state: ReportState, percent: Int, error: String?) throws(Failure) -> ReportStatus {
        guard (0...100).contains(percent) else { throw .percentOutOfRange(percent) }
        guard (state == .failed) == (error != nil) else { throw .errorMismatch }
        if state == .completed && percent != 100 { throw .percentOutOfRange(percent) }
        return ReportStatus(state: state, percent: percent, error: error)
    }

    /// The worker picked the job up (again).
    public func started() throws(Failure) -> ReportStatus {
        guard state == .queued else { throw .illegalTransition(from: state, to: .running) }
        return try transition(to: .running, percent: 0, error: nil)
    }

    public func progressed(to percent: Int) throws(Failure) -> ReportStatus {
        guard state == .running else { throw .illegalTransition(from: state, to: .running) }
        guard (0...100).contains(percent) else { throw .percentOutOfRange(percent) }
        guard percent >= self.percent else { throw .percentDecreased(from: self.percent, to: percent) }
        return ReportStatus(state: .running, percent: percent, error: nil)
    }

    public func completed() throws(Failure) -> ReportStatus {
        try transition(to: .completed, percent: 100, error: nil)
    }

    public func failed(_ message: String) throws(Failure) -> ReportStatus {
        let trimmed = message.isEmpty ? "unknown error" : String(message.prefix(Self.maxErrorLength))
        return try transition(to: .failed, percent: percent, error: trimmed)
    }

    /// An attempt failed and the job will run again: back to queued, progress reset.
    public func requeued() throws(Failure) -> ReportStatus {
        try transition(to: .queued, percent: 0, error: nil)
    }

    private func transition(to next: ReportState, percent: Int, error: String?) throws(Failure) -> ReportStatus {
        guard state.canTransition(to: next) else { throw .illegalTransition(from: state, to: next) }
        return ReportStatus(state: next, percent: percent, error: error)
    }
}
