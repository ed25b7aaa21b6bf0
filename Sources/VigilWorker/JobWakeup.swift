import Synchronization

/// A level-triggered wake-up signal for one waiter (the runner's dispatch loop): `signal()`
/// wakes the current wait, or the next one if nobody waits now.
final class JobWakeup: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns on a signal, after `timeout`, or when the task is cancelled.
    func wait(timeout: Duration) async {
        let woken = Flag()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Signal on timeout, and also when the whole task is cancelled, so the waiter
                // below returns; but not when cancelled because a real signal came first.
                _ = try? await Task.sleep(for: timeout)
                if !woken.isSet { self.signal() }
            }
            await self.waitForSignal()
            woken.set()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.pending {
                    state.pending = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}

private final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
