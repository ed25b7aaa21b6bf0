import Foundation
import Testing
import VigilCore
@testable import VigilAPI

/// `AnswerFlights`' bookkeeping: one leader per answer and version, followers get what it
/// landed (nothing, when it had nothing to share), and a landed flight is gone.
struct AnswerFlightsTests {
    @Test func followersGetWhatTheLeaderLandedAndALandedFlightIsGone() async throws {
        let flights = AnswerFlights()
        let key = AnswerCache.Key(workspaceID: UUID(), selection: "/p?window=60")
        guard case .leader(let leading) = flights.join(key, at: 1) else { Issue.record("the first request leads"); return }
        guard case .follower(let following) = flights.join(key, at: 1) else { Issue.record("the second follows"); return }
        // Another version, or another workspace's same query, is another answer: it leads its own.
        guard case .leader = flights.join(key, at: 2) else { Issue.record("another version leads"); return }
        guard case .leader = flights.join(AnswerCache.Key(workspaceID: UUID(), selection: key.selection), at: 1) else {
            Issue.record("another workspace leads"); return
        }
        async let shared = following.wait()
        flights.land(leading, key: key, at: 1, with: nil)
        #expect(await shared == nil, "a leader with nothing to share hands its followers back")
        #expect(await leading.wait() == nil, "a late follower of a landed flight does not wait")
        guard case .leader = flights.join(key, at: 1) else { Issue.record("after landing, the next request leads anew"); return }
    }
}
