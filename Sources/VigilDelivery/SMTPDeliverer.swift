import VigilPrimitives

/// Sends EmailMessages through an SMTP relay over libcurl (STARTTLS or implicit TLS,
/// AUTH PLAIN when credentials are set).
///
/// Transfers run on a pool shared by all SMTPDeliverer values (email volume is low; a
/// slow relay can hold at most `maxConcurrent` threads), never on Swift's cooperative
/// threads. Task cancellation aborts the in-flight transfer.
///
/// Every connection passes `policy` at connect time. `caBundles` are the operator's named CA
/// files (`VIGIL_SMTP_CA_BUNDLES`): a channel picks one by name (`SMTPSettings.caBundle`), so
/// tenants never name a path on the worker's machine.
public struct SMTPDeliverer: Sendable {
    static let maxConcurrent = 8
    private static let sharedPool = BlockingThreadPool(maxThreads: maxConcurrent, threadName: "vigil-smtp")

    public let policy: EgressPolicy
    public let caBundles: [String: String]

    public init(policy: EgressPolicy = EgressPolicy(), caBundles: [String: String] = [:]) {
        self.policy = policy
        self.caBundles = caBundles
    }

    /// The bundle names a channel may use.
    public var caBundleNames: Set<String> { Set(caBundles.keys) }

    public func send(_ message: EmailMessage, via settings: SMTPSettings) async -> DeliveryOutcome {
        var resolved = settings
        if let name = settings.caBundle {
            // Validated when the channel was saved; a bundle the operator has since removed
            // fails the delivery rather than silently trusting the system store instead.
            guard let path = caBundles[name] else {
                return DeliveryOutcome(statusCode: nil, error: "unknown SMTP CA bundle", failure: .configuration,
                                       durationMilliseconds: 0, responseSnippet: "", isSMTP: true)
            }
            resolved.caFile = path
        }
        let cancellation = CancellationFlag()
        let policy = policy, settings = resolved
        return await withTaskCancellationHandler {
            await Self.sharedPool.run {
                SMTPTransfer.perform(message, settings: settings, policy: policy, cancellation: cancellation)
            }
        } onCancel: {
            cancellation.cancel()
        }
    }
}
