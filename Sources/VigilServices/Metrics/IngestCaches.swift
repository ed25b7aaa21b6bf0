import Foundation
import Synchronization
import VigilCore

/// What one API process remembers between ingest requests so the hot path skips work the
/// database already has: series that exist, metric names recently refreshed (with their kind),
/// and partitions that exist. Losing any of it is harmless: the
/// database calls it saves are idempotent.
final class IngestCaches: Sendable {
    struct NameEntry {
        var kind: MetricKind
        var refreshedAt: Date
    }

    private struct State {
        /// Series known to exist, with when this process last confirmed it.
        var series: [WorkspaceSeries: Date] = [:]
        var names: [WorkspaceName: NameEntry] = [:]
        var partitionDays: Set<Int> = []
        var pseudonymKeys: [UUID: [UInt8]] = [:]
    }

    struct WorkspaceSeries: Hashable {
        var workspace: UUID
        var series: Int64
    }

    struct WorkspaceName: Hashable {
        var workspace: UUID
        var name: String
    }

    /// Bounds memory: past this many entries a map is simply cleared (and refilled as needed).
    static let maxEntries = 500_000
    /// last_seen is refreshed at most this often per name and process.
    static let nameRefreshInterval: TimeInterval = 60
    /// How long a remembered series is trusted without inserting it again (`ON CONFLICT DO
    /// NOTHING`, one statement per batch): retention prunes series that no data refers to, and
    /// only those older than this, so a process never keeps writing points for a series it
    /// believes exists when it was pruned more than this long ago.
    static let seriesTrustInterval: TimeInterval = 3_600

    private let state = Mutex(State())

    func unknownSeries(_ ids: [Int64], in workspace: UUID, at now: Date) -> Set<Int64> {
        state.withLock { state in
            Set(ids.filter { id in
                guard let confirmed = state.series[WorkspaceSeries(workspace: workspace, series: id)] else { return true }
                return now.timeIntervalSince(confirmed) >= Self.seriesTrustInterval
            })
        }
    }

    func rememberSeries(_ ids: some Sequence<Int64>, in workspace: UUID, at now: Date) {
        state.withLock { state in
            if state.series.count > Self.maxEntries { state.series.removeAll(keepingCapacity: true) }
            for id in ids { state.series[WorkspaceSeries(workspace: workspace, series: id)] = now }
        }
    }

    func name(_ name: String, in workspace: UUID) -> NameEntry? {
        state.withLock { $0.names[WorkspaceName(workspace: workspace, name: name)] }
    }

    func rememberNames(_ kinds: [String: MetricKind], in workspace: UUID, at now: Date) {
        state.withLock { state in
            if state.names.count > Self.maxEntries { state.names.removeAll(keepingCapacity: true) }
            for (name, kind) in kinds { state.names[WorkspaceName(workspace: workspace, name: name)] = NameEntry(kind: kind, refreshedAt: now) }
        }
    }

    func missingPartitionDays(_ days: Set<Int>) -> Set<Int> {
        state.withLock { state in days.subtracting(state.partitionDays) }
    }

    func rememberPartitionDays(_ days: Set<Int>) {
        state.withLock { $0.partitionDays.formUnion(days) }
    }

    /// Workspace secrets never change, so they are cached for the life of the process.
    func pseudonymKey(for workspace: UUID) -> [UInt8]? {
        state.withLock { $0.pseudonymKeys[workspace] }
    }

    func rememberPseudonymKey(_ key: [UInt8], for workspace: UUID) {
        state.withLock { $0.pseudonymKeys[workspace] = key }
    }
}
