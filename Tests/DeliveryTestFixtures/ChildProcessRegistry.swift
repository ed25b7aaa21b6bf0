#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Last line of defence against orphaned peers: every launched pid is recorded, and an
/// atexit hook SIGKILLs whatever a test forgot to stop (e.g. after a failed #require).
/// Python peers additionally exit when their stdin pipe closes, which also covers the test
/// process being SIGKILLed (atexit does not run then).
enum ChildProcessRegistry {
    private static let pids = Mutex<Set<Int32>>([])
    private static let installHook: Void = {
        atexit { ChildProcessRegistry.killAll() }
    }()

    static func register(_ pid: Int32) {
        _ = installHook
        pids.withLock { _ = $0.insert(pid) }
    }

    static func unregister(_ pid: Int32) {
        pids.withLock { _ = $0.remove(pid) }
    }

    static func killAll() {
        let all = pids.withLock { pids -> Set<Int32> in
            defer { pids.removeAll() }
            return pids
        }
        for pid in all { kill(pid, SIGKILL) }
    }
}
