import Foundation
import Synchronization
import Testing
@testable import VigilDelivery

@Suite("BlockingThreadPool")
struct BlockingThreadPoolTests {
    final class Gauge: Sendable {
        let current = Atomic<Int>(0)
        let peak = Atomic<Int>(0)
        func enter() {
            let now = current.add(1, ordering: .relaxed).newValue
            _ = peak.max(now, ordering: .relaxed)
        }
        func leave() { current.subtract(1, ordering: .relaxed) }
    }

    @Test func neverRunsMoreThanMaxThreadsAtOnce() async {
        let pool = BlockingThreadPool(maxThreads: 3, idleTimeout: 1)
        let gauge = Gauge()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<9 {
                group.addTask {
                    await pool.run {
                        gauge.enter()
                        usleep(100_000)  // a blocking call, as curl_easy_perform is
                        gauge.leave()
                    }
                }
            }
        }
        #expect(gauge.peak.load(ordering: .relaxed) == 3)
        #expect(pool.liveThreads <= 3)
    }

    @Test func idleThreadsExit() async throws {
        let pool = BlockingThreadPool(maxThreads: 2, idleTimeout: 0.2)
        let results = await withTaskGroup(of: Int.self) { group in
            for index in 0..<4 { group.addTask { await pool.run { index * 2 } } }
            return await group.reduce(0, +)
        }
        #expect(results == 12)
        let drained = try await eventuallyTrue(timeout: .seconds(3)) { pool.liveThreads == 0 }
        #expect(drained)
    }

    private func eventuallyTrue(timeout: Duration, _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }
}
