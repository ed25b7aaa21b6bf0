import Foundation
import Testing
import VigilCore

struct DedupDecisionTests {
    static let now = Date(timeIntervalSince1970: 1_735_689_600)

    @Test(arguments: [
        (nil, nil, DedupDecision.createNew),
        (AlertState.triggered, nil, .incrementOccurrence),
        (.acknowledged, nil, .incrementOccurrence),
        (.triggered, -10_000, .incrementOccurrence),
        (.resolved, -1, .reopenResolved),
        (.resolved, -299, .reopenResolved),
        (.resolved, -300, .reopenResolved),      // exactly the window: not "more than"
        (.resolved, -300.5, .createNew),
        (.resolved, -86_400, .createNew),
        (.resolved, 30, .reopenResolved),        // resolve stamped in the future (clock skew)
    ] as [(AlertState?, TimeInterval?, DedupDecision)])
    func defaultWindow(state: AlertState?, resolvedOffset: TimeInterval?, expected: DedupDecision) {
        let existing = state.map { DedupDecision.Existing(state: $0, resolvedAt: resolvedOffset.map(Self.now.addingTimeInterval)) }
        #expect(DedupDecision.decide(existing: existing, now: Self.now) == expected)
    }

    @Test(arguments: [(60.0, -59.0, DedupDecision.reopenResolved), (60, -61, .createNew), (0, 0, .reopenResolved), (0, -1, .createNew)])
    func customWindow(window: TimeInterval, resolvedOffset: TimeInterval, expected: DedupDecision) {
        let existing = DedupDecision.Existing(state: .resolved, resolvedAt: Self.now.addingTimeInterval(resolvedOffset))
        #expect(DedupDecision.decide(existing: existing, now: Self.now, window: window) == expected)
    }

    @Test func resolvedWithoutATimestampOpensANewAlert() {
        #expect(DedupDecision.decide(existing: .init(state: .resolved, resolvedAt: nil), now: Self.now) == .createNew)
        #expect(DedupDecision.defaultWindow == 300)
    }
}
