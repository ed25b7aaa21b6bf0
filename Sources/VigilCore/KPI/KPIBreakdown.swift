/// `group_by` breakdowns from rollup rows.
///
/// Rollups are stored per (KPI, period, dimension set) — see `KPIDimensions.canonicalID` — so a
/// breakdown by any one dimension merges the rows that share its value, never rereading events.
public enum KPIBreakdown {
    /// One group: the dimension's value (nil: events without that dimension) and its partial.
    public struct Group: Sendable, Equatable {
        public var value: String?
        public var partial: KPIPartial

        public init(value: String?, partial: KPIPartial) {
            self.value = value
            self.partial = partial
        }
    }

    /// Merges `rows` by `dimension`. Groups come in byte order of their value, the "no value"
    /// group last, so responses are stable.
    public static func group<S: Sequence>(_ rows: S, by dimension: String) -> [Group]
    where S.Element == (dimensions: [String: String], partial: KPIPartial) {
        var groups: [String: KPIPartial] = [:]
        var missing: KPIPartial?
        for row in rows {
            if let value = row.dimensions[dimension] {
                groups[value, default: .empty].merge(row.partial)
            } else {
                missing = (missing ?? .empty).merging(row.partial)
            }
        }
        var out = groups.keys.sorted(by: utf8Precedes).map { Group(value: $0, partial: groups[$0]!) }
        if let missing { out.append(Group(value: nil, partial: missing)) }
        return out
    }
}
