import Foundation
import Synchronization

/// Progress of a long command on standard error (standard output keeps the JSON answer):
/// `vigil rollups compact: 3 of 120 workspaces`, at most once a second and always at the end,
/// so an operator sees the work move and a script's output stays clean.
final class ProgressLine: Sendable {
    let label: String
    private let lastPrinted = Mutex<ContinuousClock.Instant?>(nil)

    init(_ label: String) {
        self.label = label
    }

    func report(_ done: Int, of total: Int) {
        let now = ContinuousClock.now
        let due = lastPrinted.withLock { last -> Bool in
            guard done == total || last.map({ now - $0 >= .seconds(1) }) ?? true else { return false }
            last = now
            return true
        }
        if due { FileHandle.standardError.write(Data("\(label): \(done) of \(total) workspaces\n".utf8)) }
    }
}
