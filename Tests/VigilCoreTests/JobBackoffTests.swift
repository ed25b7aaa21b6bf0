import Testing
import VigilCore

struct JobBackoffTests {
    static let standard = JobBackoff()  // base 1 s, cap 1 h

    @Test(arguments: [
        (0, Duration.seconds(1)),   // below 1 counts as the first attempt
        (1, .seconds(1)),
        (2, .seconds(2)),
        (3, .seconds(4)),
        (10, .seconds(512)),
        (12, .seconds(2048)),
        (13, .seconds(3600)),       // 4096 s is over the cap
        (40, .seconds(3600)),
        (Int.max, .seconds(3600)),  // no overflow
    ])
    func ceilingDoublesUpToTheCap(attempt: Int, expected: Duration) {
        #expect(Self.standard.ceiling(afterAttempt: attempt) == expected)
    }

    @Test(arguments: [
        (3, 0.0, Duration.zero),
        (3, 0.5, .seconds(2)),
        (3, 0.25, .seconds(1)),
        (1, 0.999, .milliseconds(999)),
        (20, 0.5, .seconds(1800)),
        (3, -1.0, .zero),           // out-of-range randoms are clamped
        (3, 7.0, .seconds(4)),
    ])
    func fullJitterScalesTheCeiling(attempt: Int, random: Double, expected: Duration) {
        let delay = Self.standard.delay(afterAttempt: attempt, unitRandom: { random })
        #expect(abs(JobBackoff.milliseconds(delay) - JobBackoff.milliseconds(expected)) <= 1)
    }

    @Test func customBaseAndCap() {
        let backoff = JobBackoff(base: .milliseconds(100), cap: .milliseconds(250))
        #expect([1, 2, 3, 4].map { backoff.ceiling(afterAttempt: $0) }
                == [.milliseconds(100), .milliseconds(200), .milliseconds(250), .milliseconds(250)])
    }

    @Test func randomDelaysStayWithinTheCeiling() {
        var generator = SystemRandomNumberGenerator()
        for attempt in 1...20 {
            let delay = Self.standard.delay(afterAttempt: attempt, unitRandom: { Double.random(in: 0..<1, using: &generator) })
            #expect(delay >= .zero && delay <= Self.standard.ceiling(afterAttempt: attempt))
        }
    }

    @Test(arguments: [
        (Duration.milliseconds(1500), Int64(1500)),
        (.seconds(3600), 3_600_000),
        (.microseconds(999), 0),
        (.zero, 0),
    ])
    func milliseconds(duration: Duration, expected: Int64) {
        #expect(JobBackoff.milliseconds(duration) == expected)
    }
}
