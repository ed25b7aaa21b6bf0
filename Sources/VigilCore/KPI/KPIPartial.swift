import Foundation

/// The mergeable state behind every KPI value: what one rollup row stores.
///
/// A partial summarises a set of events. `merge` is the union of two disjoint sets, and it is
/// associative and commutative with `empty` as identity, so any grouping of daily rollups into
/// weeks or months — or of late events into an existing day — gives the same state as
/// aggregating the raw events directly:
/// * `count` adds exactly (integers);
/// * `sum`, `numeratorSum` and `denominatorSum` add in floating point, exact while the values
///   and partial sums are representable (integers below 2^53, cents scaled to integers…);
///   otherwise grouping can change the last bits, as with any float sum;
/// * `lastValue` / `lastAt` keep the latest event by timestamp. Two events at the same instant
///   tie-break by the larger value, so the winner never depends on merge order.
///
/// Every event updates count, sum and last; ratio events additionally feed the numerator or
/// denominator sum by their stream (an unknown stream feeds neither — validation rejects it).
public struct KPIPartial: Sendable, Hashable {
    public var count: Int
    public var sum: Double
    public var lastValue: Double?
    public var lastAt: Date?
    public var numeratorSum: Double
    public var denominatorSum: Double

    public init(count: Int = 0, sum: Double = 0, lastValue: Double? = nil, lastAt: Date? = nil,
                numeratorSum: Double = 0, denominatorSum: Double = 0) {
        self.count = count
        self.sum = sum
        self.lastValue = lastValue
        self.lastAt = lastAt
        self.numeratorSum = numeratorSum
        self.denominatorSum = denominatorSum
    }

    /// No events: the identity of `merge`.
    public static let empty = KPIPartial()

    public var isEmpty: Bool { count == 0 }

    /// The partial of a single event.
    public init(event: KPIEvent, aggregation: KPIAggregation) {
        self.init(count: 1, sum: event.value, lastValue: event.value, lastAt: event.timestamp)
        switch aggregation.role(ofStream: event.stream) {
        case .numerator: numeratorSum = event.value
        case .denominator: denominatorSum = event.value
        case nil: break
        }
    }

    public mutating func add(_ event: KPIEvent, aggregation: KPIAggregation) {
        merge(KPIPartial(event: event, aggregation: aggregation))
    }

    public mutating func merge(_ other: KPIPartial) {
        count &+= other.count
        sum += other.sum
        numeratorSum += other.numeratorSum
        denominatorSum += other.denominatorSum
        if let otherAt = other.lastAt, let otherValue = other.lastValue {
            if let at = lastAt, let value = lastValue {
                if otherAt > at || (otherAt == at && otherValue > value) {
                    (lastAt, lastValue) = (otherAt, otherValue)
                }
            } else {
                (lastAt, lastValue) = (otherAt, otherValue)
            }
        }
    }

    public func merging(_ other: KPIPartial) -> KPIPartial {
        var copy = self
        copy.merge(other)
        return copy
    }

    public static func merged<S: Sequence>(_ partials: S) -> KPIPartial where S.Element == KPIPartial {
        partials.reduce(into: KPIPartial.empty) { $0.merge($1) }
    }

    /// Direct aggregation of raw events (what rollups must equal).
    public static func of<S: Sequence>(_ events: S, aggregation: KPIAggregation) -> KPIPartial where S.Element == KPIEvent {
        events.reduce(into: KPIPartial.empty) { $0.add($1, aggregation: aggregation) }
    }

    /// The KPI value of these events, or nil when there is none:
    /// * `sum` and `count` are 0 for no events — nothing happened is a real value (0 sign-ups);
    /// * `avg` is sum / count, nil without events;
    /// * `last` is the latest value, nil without events;
    /// * `ratio` is numerator / denominator, nil when the denominator sums to 0 (0/0 is
    ///   unknown, and x/0 is not a rate).
    public func value(for aggregation: KPIAggregation) -> Double? {
        switch aggregation {
        case .sum: return sum
        case .count: return Double(count)
        case .avg: return count > 0 ? sum / Double(count) : nil
        case .last: return lastValue
        case .ratio: return denominatorSum != 0 ? numeratorSum / denominatorSum : nil
        }
    }
}
