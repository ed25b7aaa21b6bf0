import Foundation
import Logging
import VigilCore
import VigilRepositories

/// The worker's `rollups.compact`: merges the partial minute rows ingest writes (one per
/// batch, series and minute) into one row per (series, minute), and builds the hour rows from
/// them, so queries read few rows however many batches arrived. Each round takes a bounded set of keys in one short
/// transaction: the merged row replaces its partials atomically, and a crash leaves either.
public struct RollupCompactionService: Sendable {
    let database: Database
    let repository = RollupCompactionRepository()
    let writes = MetricWriteRepository()
    /// Partial rows examined per transaction.
    public var batchSize = 5_000

    public init(database: Database) {
        self.database = database
    }

    /// Compacts every workspace; returns how many rows were merged away. (Rollups are under
    /// forced row-level security, so partials are found workspace by workspace: an index probe
    /// each when there is nothing to do.)
    @discardableResult
    /// `progress` hears (workspaces done, workspaces in all) after each workspace.
    public func compactAll(progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Int {
        var merged = 0
        let workspaces = try await database.everyWorkspace()
        for (index, workspace) in workspaces.enumerated() {
            merged += try await compact(workspace.id)
            progress?(index + 1, workspaces.count)
        }
        return merged
    }

    /// Compacts one workspace's partial rows; returns how many rows were merged away.
    public func compact(_ workspace: UUID) async throws -> Int {
        var merged = 0
        while true {
            let (taken, written) = try await database.inWorkspace(workspace) { connection -> (Int, Int) in
                let rows = try await repository.takeRows(limit: batchSize, on: connection)
                let (combined, hourPartials) = Self.merge(rows)
                try await writes.insertRollups(combined, workspaceID: workspace, compacted: true, on: connection)
                try await writes.insertRollups(hourPartials, workspaceID: workspace, compacted: false, on: connection)
                return (rows.count, combined.count + hourPartials.count)
            }
            merged += taken - written
            if taken < batchSize { break }
        }
        return merged
    }

    /// One compacted row per (series, resolution, bucket), plus, for minutes, the newly merged
    /// partials added to their hour as an hour partial: hour rows always hold exactly the
    /// compacted minutes (queries add the minute partials not yet folded in).
    static func merge(_ rows: [StoredRollup]) -> (compacted: [RollupPartial], hourPartials: [RollupPartial]) {
        struct Key: Hashable { var series: Int64; var resolution: RollupResolution; var bucket: Date }
        var merged: [Key: QuantileSketch] = [:]
        var hourDeltas: [Key: QuantileSketch] = [:]
        for row in rows {
            merged[Key(series: row.seriesID, resolution: row.resolution, bucket: row.bucket), default: QuantileSketch()].merge(row.sketch)
            if row.resolution == .minute && !row.compacted {
                let hour = Key(series: row.seriesID, resolution: .hour, bucket: RollupResolution.hour.bucketStart(row.bucket))
                hourDeltas[hour, default: QuantileSketch()].merge(row.sketch)
            }
        }
        func ordered(_ sketches: [Key: QuantileSketch]) -> [RollupPartial] {
            sketches.map { RollupPartial(seriesID: $0.key.series, resolution: $0.key.resolution, bucket: $0.key.bucket, sketch: $0.value) }
                .sorted { ($0.seriesID, $0.resolution.rawValue, $0.bucket) < ($1.seriesID, $1.resolution.rawValue, $1.bucket) }
        }
        return (ordered(merged), ordered(hourDeltas))
    }
}
