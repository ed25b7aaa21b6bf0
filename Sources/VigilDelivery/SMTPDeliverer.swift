/// Sends EmailMessages through an SMTP relay over libcurl (STARTTLS or implicit TLS,
/// AUTH PLAIN when credentials are set).
///
/// Transfers run on a pool shared by all SMTPDeliverer values (email volume is low; a
/// slow relay can hold at most `maxConcurrent` threads), never on Swift's cooperative
/// threads. Task cancellation aborts the in-flight transfer.
public struct SMTPDeliverer: Sendable {
    static let maxConcurrent = 8
    private static let sharedPool = BlockingThreadPool(maxThreads: maxConcurrent, threadName: "vigil-smtp")

    public init() {}

    public func send(_ message: EmailMessage, via settings: SMTPSettings) async -> DeliveryOutcome {
        let cancellation = CancellationFlag()
        return await withTaskCancellationHandler {
            await Self.sharedPool.run {
                SMTPTransfer.perform(message, settings: settings, cancellation: cancellation)
            }
        } onCancel: {
            cancellation.cancel()
        }
    }
}
