import Foundation

/// Rollup resolutions: bucket widths in seconds. Minutes serve short windows and window
/// edges; hours serve the bulk of long windows, so a 24 h query reads ~24 rows per series
/// instead of 1,440 or millions of raw points.
public enum RollupResolution: Int, Sendable, CaseIterable, Comparable {
    case minute = 60
    case hour = 3600

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// The start of the bucket holding `date` (UTC, aligned to the epoch).
    public func bucketStart(_ date: Date) -> Date {
        let seconds = date.timeIntervalSince1970
        return Date(timeIntervalSince1970: (seconds / Double(rawValue)).rounded(.down) * Double(rawValue))
    }
}

/// One partial rollup: the points of one series in one bucket of one ingest batch.
public struct RollupPartial: Sendable, Equatable {
    public var seriesID: Int64
    public var resolution: RollupResolution
    public var bucket: Date
    public var sketch: QuantileSketch

    public init(seriesID: Int64, resolution: RollupResolution, bucket: Date, sketch: QuantileSketch) {
        self.seriesID = seriesID
        self.resolution = resolution
        self.bucket = bucket
        self.sketch = sketch
    }
}

public enum RollupPartials {
    /// The partial minute rollups of a batch: one per (series, minute), in a stable order.
    /// Ingest writes minutes only; hour rows are built from minutes by compaction (see
    /// `RollupCompactionService`), which keeps the ingest path to one rollup row per series and
    /// minute.
    /// `seriesIDs[i]` is `points[i]`'s series (ingest has computed them already).
    public static func of(_ points: [MetricPoint], seriesIDs: [Int64], resolutions: [RollupResolution] = [.minute]) -> [RollupPartial] {
        precondition(points.count == seriesIDs.count)
        struct Key: Hashable {
            var series: Int64
            var resolution: Int
            var bucket: Double
        }
        var sketches: [Key: QuantileSketch] = [:]
        for (point, id) in zip(points, seriesIDs) {
            for resolution in resolutions {
                let bucket = resolution.bucketStart(point.timestamp).timeIntervalSince1970
                sketches[Key(series: id, resolution: resolution.rawValue, bucket: bucket), default: QuantileSketch()].add(point.value)
            }
        }
        return sketches
            .sorted { ($0.key.series, $0.key.resolution, $0.key.bucket) < ($1.key.series, $1.key.resolution, $1.key.bucket) }
            .map { RollupPartial(seriesID: $0.key.series, resolution: RollupResolution(rawValue: $0.key.resolution)!,
                                 bucket: Date(timeIntervalSince1970: $0.key.bucket), sketch: $0.value) }
    }
}
