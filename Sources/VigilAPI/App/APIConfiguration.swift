import VigilPrimitives

/// Settings of the HTTP side.
public struct APIConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var maxBodyBytes: Int
    public var idleTimeoutSeconds: Int = 60
    /// Load balancers whose `X-Forwarded-For` names the client (VIGIL_TRUSTED_PROXIES).
    public var trustedProxies = TrustedProxies()
    /// Memory for cached answers of the alerts list and metric stats and series
    /// (VIGIL_READ_CACHE_MB; 0 turns the cache off).
    public var readCacheBytes = 32 * 1024 * 1024

    public static let defaultMaxBodyBytes = 4_194_304

    public init(host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = defaultMaxBodyBytes) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
    }
}
