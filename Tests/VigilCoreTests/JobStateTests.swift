import Foundation
import Testing
import VigilCore

struct JobStateTests {
    @Test(arguments: [
        (JobState.available, true, true, false),
        (.running, false, true, false),
        (.retryable, true, true, false),
        (.succeeded, false, false, true),
        (.discarded, false, false, true),
        (.cancelled, false, false, true),
    ])
    func classification(state: JobState, runnable: Bool, holdsKey: Bool, final: Bool) {
        #expect(state.isRunnable == runnable)
        #expect(state.holdsUniqueKey == holdsKey)
        #expect(state.isFinal == final)
    }

    @Test func rawValuesMatchTheSchema() {
        #expect(JobState.allCases.map(\.rawValue) == ["available", "running", "succeeded", "retryable", "discarded", "cancelled"])
    }

    @Test func newJobTakesTheCorrelationIDFromTheLogContext() throws {
        struct Args: JobArgs, Equatable {
            static let kind = "probe"
            var host: String
        }
        let job = try LogContext.$correlationID.withValue("corr-1") {
            try NewJob(Args(host: "a"), workspaceID: platformJobWorkspaceID)
        }
        #expect(job.kind == "probe" && job.maxAttempts == 20 && job.priority == 0)
        #expect(job.correlationID == "corr-1")
        #expect(job.argsJSON == #"{"host":"a"}"#)
        #expect(platformJobWorkspaceID.uuidString == "00000000-0000-0000-0000-000000000000")
        let claimed = ClaimedJob(workspaceID: job.workspaceID, id: 1, kind: "probe", argsJSON: job.argsJSON, priority: 0,
                                 attempt: 3, maxAttempts: 3, runAt: Date(), uniqueKey: nil, correlationID: nil)
        #expect(try JobArgsCoding.decode(Args.self, from: claimed.argsJSON) == Args(host: "a"))
        #expect(claimed.isLastAttempt)
    }
}
