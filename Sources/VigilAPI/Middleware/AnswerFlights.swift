import Synchronization
import VigilCore

/// Misses of one answer at one version, computed once (request coalescing, as Grafana's and
/// Thanos' query front ends do): when a change invalidates a polled answer, the requests in
/// flight at that moment would otherwise all miss together and each read the database. The
/// first becomes the leader and computes; the others wait for its answer, which is as fresh as
/// theirs would have been (computed after the version they read). A leader that ends without a
/// storable answer (an error, another status) hands each follower back to computing its own.
///
/// Bounded by the requests in flight: a flight lives only while its leader computes, and a
/// follower only ever waits on its own workspace's answer (the key holds the workspace).
final class AnswerFlights: Sendable {
    struct FlightKey: Hashable, Sendable {
        let key: AnswerCache.Key
        let version: Int64
    }

    enum Role {
        case leader(Flight)
        case follower(Flight)
    }

    private let flights = Mutex<[FlightKey: Flight]>([:])

    /// Leads the computation of `key` at `version`, or follows the one already running.
    func join(_ key: AnswerCache.Key, at version: Int64) -> Role {
        flights.withLock { flights in
            let id = FlightKey(key: key, version: version)
            if let running = flights[id] { return .follower(running) }
            let flight = Flight()
            flights[id] = flight
            return .leader(flight)
        }
    }

    /// Ends the leader's flight: later requests find the stored answer (or lead anew).
    func land(_ flight: Flight, key: AnswerCache.Key, at version: Int64, with answer: AnswerCache.Answer?) {
        flights.withLock { flights in
            let id = FlightKey(key: key, version: version)
            if flights[id] === flight { flights[id] = nil }
        }
        flight.finish(answer)
    }

    final class Flight: Sendable {
        private struct State {
            var finished = false
            var answer: AnswerCache.Answer?
            var waiters: [CheckedContinuation<AnswerCache.Answer?, Never>] = []
        }
        private let state = Mutex(State())

        /// The leader's answer, or nil when it had none to share.
        func wait() async -> AnswerCache.Answer? {
            await withCheckedContinuation { continuation in
                let done = state.withLock { state -> AnswerCache.Answer?? in
                    if state.finished { return .some(state.answer) }
                    state.waiters.append(continuation)
                    return .none
                }
                if let done { continuation.resume(returning: done) }
            }
        }

        fileprivate func finish(_ answer: AnswerCache.Answer?) {
            let waiters = state.withLock { state in
                state.finished = true
                state.answer = answer
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: answer) }
        }
    }
}
