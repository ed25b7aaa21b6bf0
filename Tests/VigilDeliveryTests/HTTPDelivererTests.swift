import DeliveryTestFixtures
import Foundation
import Testing
import VigilDelivery
import VigilPrimitives

/// HTTPDeliverer against the real Python receiver (scripts/peers/http_receiver.py).
@Suite("HTTPDeliverer")
struct HTTPDelivererTests {
    /// The receiver runs on 127.0.0.1, which the default egress policy refuses.
    static let loopback = EgressPolicy(allowList: [IPNetwork("127.0.0.1/32")!])
    let deliverer = HTTPDeliverer(maxConcurrent: 4, policy: Self.loopback)

    /// Starts a receiver for one test; `stop()` runs even when the body throws.
    func withReceiver(_ body: (HTTPReceiverPeer) async throws -> Void) async throws {
        let receiver = HTTPReceiverPeer()
        defer { receiver.stop() }
        try await receiver.start()
        try await body(receiver)
    }

    @Test func deliversBodyAndHeaders() async throws {
        try await withReceiver { receiver in
            let payload = Array(#"{"alert":"disk full","value":99.5,"note":"grüße"}"#.utf8)
            let outcome = await deliverer.post(OutboundHTTPRequest(
                url: receiver.url(path: "/hooks/team-a"),
                headers: [(name: "Authorization", value: "Bearer s3cret-token"),
                          (name: "X-Vigil-Signature", value: "sha256=abc"),
                          (name: "X-Empty", value: "")],
                body: payload))
            #expect(outcome.error == nil)
            #expect(outcome.statusCode == 200)
            #expect(outcome.succeeded)
            #expect(outcome.responseSnippet == "ok")
            #expect(outcome.durationMilliseconds > 0)

            let requests = try await receiver.requests()
            try #require(requests.count == 1)
            let request = requests[0]
            #expect(request.path == "/hooks/team-a")
            #expect(request.body == payload)
            #expect(request.headers["authorization"] == "Bearer s3cret-token")
            #expect(request.headers["x-vigil-signature"] == "sha256=abc")
            #expect(request.headers["x-empty"] == "")
            #expect(request.headers["content-type"] == "application/json")
            #expect(request.headers["expect"] == nil)
            // Secrets never leak into the outcome.
            #expect(!"\(outcome)".contains("s3cret-token"))
        }
    }

    @Test func serverErrorIsTransportSuccessButNotSucceeded() async throws {
        try await withReceiver { receiver in
            let outcome = await deliverer.post(OutboundHTTPRequest(url: receiver.url(path: "/status/500/x"), body: []))
            #expect(outcome.statusCode == 500)
            #expect(outcome.error == nil)
            #expect(!outcome.succeeded)
            #expect(outcome.responseSnippet == "status 500")
        }
    }

    @Test func failThenRecover() async throws {
        try await withReceiver { receiver in
            var codes: [Int?] = []
            for _ in 0..<3 {
                codes.append(await deliverer.post(OutboundHTTPRequest(url: receiver.url(path: "/fail/2/x"), body: [1])).statusCode)
            }
            #expect(codes == [500, 500, 200])
        }
    }

    @Test func hungReceiverTimesOutWhileOtherDeliveriesProceed() async throws {
        try await withReceiver { receiver in
            let clock = ContinuousClock()
            let start = clock.now
            async let hung = deliverer.post(OutboundHTTPRequest(
                url: receiver.url(path: "/hang/5/x"), body: Array("slow".utf8), timeout: .seconds(1)))
            // Give the hung request a head start so it is really in flight.
            try await Task.sleep(for: .milliseconds(200))
            let normal = await deliverer.post(OutboundHTTPRequest(url: receiver.url(path: "/fast"), body: Array("fast".utf8)))
            let normalDoneAt = clock.now - start
            let hungOutcome = await hung
            let hungDoneAt = clock.now - start

            #expect(normal.succeeded)
            #expect(normalDoneAt < .milliseconds(3000), "normal post waited for the hung one: \(normalDoneAt)")
            #expect(hungOutcome.error?.contains("timed out") == true, "error: \(hungOutcome.error ?? "nil")")
            #expect(hungOutcome.error == "timed out after 1000 ms")
            #expect(!hungOutcome.succeeded)
            #expect(hungDoneAt < .seconds(8))
            #expect(hungOutcome.durationMilliseconds >= 900)
        }
    }

    @Test func moreHungRequestsThanThreadsStillAllFinishByTheirTimeouts() async throws {
        try await withReceiver { receiver in
            let small = HTTPDeliverer(maxConcurrent: 2, policy: Self.loopback)
            let start = ContinuousClock.now
            let outcomes = await withTaskGroup(of: DeliveryOutcome.self) { group in
                for index in 0..<4 {
                    group.addTask {
                        await small.post(OutboundHTTPRequest(url: receiver.url(path: "/hang/5/\(index)"), body: [], timeout: .milliseconds(500)))
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let elapsed = ContinuousClock.now - start
            #expect(outcomes.allSatisfy { $0.error == "timed out after 500 ms" })
            // Two waves of two: ~1 s, never 4 × 0.5 s serially nor the 5 s hang.
            #expect(elapsed < .milliseconds(6000), "elapsed \(elapsed)")
            #expect(elapsed >= .milliseconds(900), "pool bound not respected: \(elapsed)")
        }
    }

    @Test func connectionRefused() async throws {
        let port = try PeerEnvironment.freePort()  // nothing listens there any more
        let outcome = await deliverer.post(OutboundHTTPRequest(url: "http://127.0.0.1:\(port)/x", body: [], timeout: .seconds(2)))
        #expect(outcome.statusCode == nil)
        #expect(outcome.error == "connection refused")
        #expect(outcome.failure == .connectionRefused)
        #expect(!outcome.succeeded)
    }

    @Test func redirectIsNotFollowed() async throws {
        try await withReceiver { receiver in
            let outcome = await deliverer.post(OutboundHTTPRequest(url: receiver.url(path: "/redirect/x"), body: [1, 2, 3]))
            #expect(outcome.statusCode == 302)
            #expect(outcome.error == nil)
            #expect(!outcome.succeeded)
            let paths = try await receiver.requests().map(\.path)
            #expect(paths == ["/redirect/x"])
        }
    }

    @Test func responseSnippetIsCapped() async throws {
        try await withReceiver { receiver in
            let outcome = await deliverer.post(OutboundHTTPRequest(url: receiver.url(path: "/bytes/100000/x"), body: []))
            #expect(outcome.succeeded)
            #expect(outcome.responseSnippet.utf8.count == 512)
        }
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/x", "dict://127.0.0.1/x"])
    func nonHTTPSchemesAreRefused(url: String) async {
        let outcome = await deliverer.post(OutboundHTTPRequest(url: url, body: []))
        #expect(outcome.statusCode == nil)
        #expect(outcome.error == "unsupported URL scheme")
    }

    @Test(arguments: [("X-Evil", "tok\r\nX-Injected: 1"), ("Bad Name", "secret-1"), ("X-Nul", "tok\u{0}b"), ("", "secret-2")])
    func headerInjectionIsRejectedBeforeSending(name: String, value: String) async throws {
        try await withReceiver { receiver in
            let outcome = await deliverer.post(OutboundHTTPRequest(
                url: receiver.url(path: "/x"), headers: [(name: name, value: value)], body: []))
            #expect(outcome.statusCode == nil)
            #expect(outcome.error?.hasPrefix("invalid request header") == true)
            #expect(outcome.error?.contains(value) == false)  // the value may be a secret
            let received = try await receiver.requests()
            #expect(received.isEmpty)
        }
    }

    @Test func cancellationAbortsTheTransfer() async throws {
        try await withReceiver { receiver in
            let start = ContinuousClock.now
            let task = Task {
                await deliverer.post(OutboundHTTPRequest(url: receiver.url(path: "/hang/5/x"), body: [], timeout: .seconds(10)))
            }
            try await Task.sleep(for: .milliseconds(300))
            task.cancel()
            let outcome = await task.value
            #expect(outcome.error == "cancelled")
            #expect(ContinuousClock.now - start < .seconds(8))
        }
    }
}
