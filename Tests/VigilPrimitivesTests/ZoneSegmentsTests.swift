import Foundation
import Testing
import VigilPrimitives

/// The zone walker shared by the cron scheduler and the KPI calendar (both have their own DST
/// suites on top). New York 2025: 03-09 07:00Z 02:00 EST -> 03:00 EDT; 11-02 06:00Z 02:00 EDT -> 01:00 EST.
struct ZoneSegmentsTests {
    static let newYork = ZoneSegments(timeZone: TimeZone(identifier: "America/New_York")!)
    static let springGap = 1_741_503_600  // 2025-03-09T07:00:00Z
    static let fallBack = 1_762_063_200  // 2025-11-02T06:00:00Z

    /// Wall time of a New York local reading, written as if it were UTC.
    static func wall(_ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Int {
        CivilDate.dayNumber(year: 2025, month: month, day: day) * 86_400 + hour * 3600 + minute * 60
    }

    @Test func segmentsEndAtTransitions() {
        let (offset, end) = Self.newYork.segment(at: Self.springGap - 1)
        #expect(offset == -5 * 3600)
        #expect(end == Self.springGap)
        #expect(Self.newYork.offset(at: Self.springGap) == -4 * 3600)
        #expect(Self.newYork.nextTransition(after: Self.springGap) == Self.fallBack)
        #expect(Self.newYork.lastTransition(after: Self.springGap - 10, through: Self.fallBack) == Self.fallBack)
        #expect(Self.newYork.lastTransition(after: Self.springGap, through: Self.fallBack - 1) == nil)
    }

    @Test func aSkippedWallTimeIsReachedWhenTheGapEnds() {
        #expect(Self.newYork.firstInstant(reaching: Self.wall(3, 9, 2, 30)) == Self.springGap)
        #expect(Self.newYork.firstInstant(reaching: Self.wall(3, 9, 1, 59)) == Self.springGap - 60)
        #expect(Self.newYork.firstInstant(reaching: Self.wall(3, 9, 3, 0)) == Self.springGap)
    }

    @Test func aRepeatedWallTimeCountsAtItsFirstOccurrence() {
        // 01:30 EDT (05:30Z) comes first; 01:30 EST (06:30Z) is the repeat.
        #expect(Self.newYork.firstInstant(reaching: Self.wall(11, 2, 1, 30)) == Self.fallBack - 1800)
        // During the repeat the highest wall time reached stays just before 02:00.
        #expect(Self.newYork.highestWall(atOrBefore: Self.fallBack + 1800) == Self.wall(11, 2, 2) - 1)
        #expect(Self.newYork.highestWall(atOrBefore: Self.fallBack + 3600) == Self.wall(11, 2, 2))
    }

    @Test func aZoneWithoutTransitionsIsOneSegment() {
        let utc = ZoneSegments(timeZone: TimeZone(identifier: "UTC")!)
        #expect(utc.segment(at: 0) == (0, Int.max))
        #expect(utc.firstInstant(reaching: 12_345) == 12_345)
        #expect(utc.highestWall(atOrBefore: -7) == -7)
    }
}
