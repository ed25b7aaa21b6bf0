import Foundation
import Testing
import VigilCore

struct FailureBucketTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// (allowance per minute, attempts at t0, seconds later, expected decision of one more attempt)
    @Test(arguments: [
        (60, 59, 0.0, FailureBucket.Decision.admitted),
        (60, 60, 0.0, .refused(retryAfterSeconds: 1)),
        (60, 60, 1.0, .admitted),               // 1 a second comes back
        (6, 6, 0.0, .refused(retryAfterSeconds: 10)),
        (6, 6, 5.0, .refused(retryAfterSeconds: 5)),
        (6, 6, 10.0, .admitted),
        (1, 1, 0.0, .refused(retryAfterSeconds: 60)),
        (600, 600, 0.0, .refused(retryAfterSeconds: 1)),
    ])
    func decisions(perMinute: Int, attempts: Int, later: Double, expected: FailureBucket.Decision) {
        var bucket = FailureBucket(perMinute: perMinute, now: Self.t0)
        for _ in 0..<attempts { _ = bucket.take(now: Self.t0) }
        #expect(bucket.take(now: Self.t0.addingTimeInterval(later)) == expected)
    }

    @Test func aRefusalTakesNothingAndAGiveBackRestoresATokenButNeverMoreThanTheAllowance() {
        var bucket = FailureBucket(perMinute: 2, now: Self.t0)
        #expect(bucket.take(now: Self.t0) == .admitted)
        #expect(bucket.take(now: Self.t0) == .admitted)
        #expect(bucket.take(now: Self.t0) == .refused(retryAfterSeconds: 30))
        #expect(bucket.take(now: Self.t0) == .refused(retryAfterSeconds: 30))
        bucket.giveBack(now: Self.t0)
        #expect(bucket.take(now: Self.t0) == .admitted)
        bucket.giveBack(now: Self.t0)
        bucket.giveBack(now: Self.t0)
        bucket.giveBack(now: Self.t0)
        #expect(bucket.isFull(now: Self.t0))
        #expect(bucket.take(now: Self.t0) == .admitted)
        #expect(bucket.take(now: Self.t0) == .admitted)
        #expect(bucket.take(now: Self.t0) != .admitted)
    }

    @Test func fullnessAfterIdling() {
        var bucket = FailureBucket(perMinute: 60, now: Self.t0)
        #expect(bucket.isFull(now: Self.t0))
        _ = bucket.take(now: Self.t0)
        #expect(!bucket.isFull(now: Self.t0))
        #expect(bucket.isFull(now: Self.t0.addingTimeInterval(1)))
        // A clock going backwards never adds tokens.
        #expect(!bucket.isFull(now: Self.t0.addingTimeInterval(-30)))
    }

    @Test func aMinuteStartsOnTheMinute() {
        let date = Date(timeIntervalSince1970: 1_800_000_059.9)
        #expect(AuthFailureRecord.minute(of: date) == Date(timeIntervalSince1970: 1_800_000_000))
        #expect(AuthFailureRecord.minute(of: Date(timeIntervalSince1970: 1_800_000_060)) == Date(timeIntervalSince1970: 1_800_000_060))
    }
}

struct ExpiringCacheTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func entriesExpire() {
        var cache = ExpiringCache<String, Int>(capacity: 10, ttl: 60)
        cache.store(1, for: "a", now: Self.t0)
        #expect(cache.value(for: "a", now: Self.t0.addingTimeInterval(59)) == 1)
        #expect(cache.value(for: "a", now: Self.t0.addingTimeInterval(60)) == nil)
        cache.remove("a")
        #expect(cache.value(for: "a", now: Self.t0) == nil)
    }

    @Test func aFloodOfDistinctKeysNeverGrowsItPastItsCapacity() {
        var cache = ExpiringCache<Int, Bool>(capacity: 100, ttl: 60)
        for i in 0..<10_000 { cache.store(true, for: i, now: Self.t0.addingTimeInterval(Double(i) / 1000)) }
        #expect(cache.count <= 100)
        // The newest entries survive.
        #expect(cache.value(for: 9_999, now: Self.t0.addingTimeInterval(10)) == true)
    }

    @Test func expiredEntriesAreSweptBeforeLiveOnesAreDropped() {
        var cache = ExpiringCache<Int, Bool>(capacity: 4, ttl: 10)
        for i in 0..<3 { cache.store(true, for: i, now: Self.t0) }
        cache.store(true, for: 3, now: Self.t0.addingTimeInterval(5))
        cache.store(true, for: 4, now: Self.t0.addingTimeInterval(11))  // 0...2 have expired
        #expect(cache.count == 2)
        #expect(cache.value(for: 3, now: Self.t0.addingTimeInterval(11)) == true)
    }
}
