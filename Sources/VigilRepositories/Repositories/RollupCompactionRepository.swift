import Foundation
import PostgresClient
import VigilCore

/// Merging partial rollup rows (written one per ingest batch) into one row per
/// (series, resolution, bucket). Runs per workspace under RLS.
public struct RollupCompactionRepository: Sendable {
    public init() {}

    /// Takes (deletes and returns) up to `limit` keys' worth of rows — every row, compacted or
    /// not, of each key that has partials — locking them so a concurrent compactor skips them.
    /// The caller inserts the merged rows in the same transaction.
    public func takeRows(limit: Int, on connection: Transaction) async throws -> [StoredRollup] {
        try await connection.query("""
            WITH keys AS (
                SELECT DISTINCT series_id, resolution, bucket FROM (
                    SELECT series_id, resolution, bucket FROM metric_rollups WHERE NOT compacted
                     LIMIT \(limit) FOR UPDATE SKIP LOCKED) partials
            ), taken AS (
                DELETE FROM metric_rollups r USING keys k
                 WHERE r.series_id = k.series_id AND r.resolution = k.resolution AND r.bucket = k.bucket
                RETURNING r.series_id, r.resolution, r.bucket, r.sketch, r.compacted
            )
            SELECT series_id, resolution, bucket, sketch, compacted FROM taken
            """).map { row in
            StoredRollup(seriesID: try row.decode("series_id", as: Int64.self),
                         resolution: RollupResolution(rawValue: try row.decode("resolution", as: Int.self)) ?? .minute,
                         bucket: try row.decode("bucket", as: Date.self),
                         sketch: try QuantileSketch(decoding: [UInt8](try row.decode("sketch", as: Data.self))),
                         compacted: try row.decode("compacted", as: Bool.self))
        }
    }
}
